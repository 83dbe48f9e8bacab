-- Events past their retention (automatix.events.retention-days) are summarised here and deleted
-- from events: one row per entity, event type and day (UTC), with how many there were, the first
-- and last time and who caused them. Counts per kind survive; details (jsonb) do not, except in
-- each entity's last event, which retention keeps (io/automatix/event/prune-events.sql).
CREATE TABLE events_summary (
    entity      text NOT NULL,
    entity_id   bigint NOT NULL,
    entity_name text NOT NULL DEFAULT '',
    type        text NOT NULL,
    day         date NOT NULL,
    events      bigint NOT NULL CHECK (events > 0),
    first_at    timestamptz NOT NULL,
    last_at     timestamptz NOT NULL,
    actors      text[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (entity, entity_id, entity_name, type, day)
);
CREATE INDEX events_summary_day ON events_summary (day);
CREATE INDEX events_old ON events (at) WHERE published_at IS NOT NULL;

-- The audit trail by day whether or not retention has run: the kept events and the summaries.
CREATE VIEW event_days AS
SELECT entity, entity_id, entity_name, type, day,
       sum(events)::bigint AS events, min(first_at) AS first_at, max(last_at) AS last_at
FROM (SELECT entity, entity_id, coalesce(entity_name, '') AS entity_name, type,
             (at AT TIME ZONE 'UTC')::date AS day, 1 AS events, at AS first_at, at AS last_at
      FROM events
      UNION ALL
      SELECT entity, entity_id, entity_name, type, day, events, first_at, last_at
      FROM events_summary) both_kinds
GROUP BY entity, entity_id, entity_name, type, day;
