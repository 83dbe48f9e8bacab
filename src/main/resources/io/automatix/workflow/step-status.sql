SELECT id, step, instance, status, outcome, variables, requested_by, last_error,
       created_at, started_at, finished_at
FROM session_steps WHERE session_id = :session_id ORDER BY id
