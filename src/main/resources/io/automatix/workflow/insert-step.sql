-- Each run of a step is a new instance of it (the caller holds the session's row lock).
INSERT INTO session_steps (session_id, step, instance, variables, requested_by)
SELECT :session_id, :step, coalesce(max(instance), 0) + 1, CAST(:variables AS jsonb), :user
FROM session_steps WHERE session_id = :session_id AND step = :step
RETURNING id, instance
