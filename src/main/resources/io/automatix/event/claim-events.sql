-- Claims the oldest unpublished events for this router. Events it claimed before and could not
-- publish (broker down) are taken again at once; another router's claims only after the lease.
UPDATE events
SET claimed_by = :router, claimed_at = now()
WHERE id IN (SELECT id
             FROM events
             WHERE published_at IS NULL
               AND (claimed_at IS NULL OR claimed_by = :router
                    OR claimed_at < now() - make_interval(secs => :lease_seconds))
             ORDER BY id
             LIMIT :limit
             FOR UPDATE SKIP LOCKED)
RETURNING id, at, actor, entity, entity_id, entity_name, type, from_state, to_state, detail::text AS detail
