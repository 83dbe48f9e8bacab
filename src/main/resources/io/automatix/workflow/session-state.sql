UPDATE workflow_sessions
SET status = :status, last_error = :error, claimed_by = NULL, claimed_at = NULL,
    stopped_at = CASE WHEN :status IN ('stopped', 'failed') THEN now() END
WHERE id = :id AND claimed_by = :router
