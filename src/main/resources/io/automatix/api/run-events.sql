SELECT e.at, e.actor, e.entity, e.entity_name, e.type, e.from_state, e.to_state, e.detail
FROM events e
WHERE (e.entity = 'run' AND e.entity_name = :run)
   OR (e.entity = 'job' AND e.entity_id IN (SELECT j.id FROM jobs j JOIN runs r ON r.id = j.run_id WHERE r.name = :run))
ORDER BY e.id DESC
LIMIT 200
