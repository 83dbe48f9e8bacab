-- One batch of retention: published events older than the retention age are added to
-- events_summary and deleted, in one statement (so in one transaction). Kept whatever their age:
-- events not yet published (the outbox still owes them to automatix.events), and each entity's
-- last event, so that where every run, job and session ended stays readable with its detail and
-- actor; a run has two states (raw_status, processed_status), so it keeps the last of each.
WITH doomed AS (
    SELECT e.id
    FROM events e
    WHERE e.published_at IS NOT NULL
      AND e.at < now() - make_interval(days => :days)
      AND EXISTS (SELECT 1 FROM events later
                  WHERE later.entity = e.entity AND later.entity_id = e.entity_id AND later.id > e.id
                    AND (later.type LIKE 'run.processing.%') = (e.type LIKE 'run.processing.%'))
    ORDER BY e.id
    LIMIT :batch
    FOR UPDATE SKIP LOCKED
), gone AS (
    DELETE FROM events WHERE id IN (SELECT id FROM doomed)
    RETURNING entity, entity_id, coalesce(entity_name, '') AS entity_name, type, at, actor
), summary AS (
    INSERT INTO events_summary AS s (entity, entity_id, entity_name, type, day, events, first_at, last_at, actors)
    SELECT entity, entity_id, entity_name, type, (at AT TIME ZONE 'UTC')::date, count(*), min(at), max(at),
           array_agg(DISTINCT actor ORDER BY actor)
    FROM gone
    GROUP BY entity, entity_id, entity_name, type, (at AT TIME ZONE 'UTC')::date
    ON CONFLICT (entity, entity_id, entity_name, type, day) DO UPDATE
        SET events = s.events + EXCLUDED.events,
            first_at = least(s.first_at, EXCLUDED.first_at),
            last_at = greatest(s.last_at, EXCLUDED.last_at),
            actors = ARRAY(SELECT DISTINCT a FROM unnest(s.actors || EXCLUDED.actors) a ORDER BY a)
)
SELECT count(*) FROM gone
