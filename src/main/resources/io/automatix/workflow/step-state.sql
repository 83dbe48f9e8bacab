-- The router driving a step moves it on and lets it go until :check_seconds from now.
UPDATE session_steps
SET status = :status, outcome = :outcome,
    -- a new state brings its own error (or none); the same state keeps the last one unless told another
    last_error = CASE WHEN status <> :status THEN :error ELSE coalesce(:error, last_error) END,
    started_at = CASE WHEN :status = 'running' THEN coalesce(started_at, now()) ELSE started_at END,
    finished_at = CASE WHEN :status = 'stopped' THEN now() END,
    claimed_by = NULL, claimed_at = NULL, next_check_at = now() + make_interval(secs => :check_seconds)
WHERE id = :id AND claimed_by = :router
