-- The jobs a step's jobs depend on: those of the latest succeeded instance of each step it is after.
SELECT j.id
FROM jobs j
WHERE j.step_id IN (SELECT DISTINCT ON (step) id
                    FROM session_steps
                    WHERE session_id = :session_id AND step = ANY(CAST(:steps AS text[])) AND outcome = 'succeeded'
                    ORDER BY step, instance DESC)
ORDER BY j.id
