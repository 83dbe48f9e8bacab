-- The job cannot be submitted as configured (a template that does not render, a partition that
-- does not exist): it fails without retries, which would fail the same way.
UPDATE jobs
SET state = 'failed', last_error = :error, max_attempts = attempt, finished_at = now(),
    claimed_by = NULL, claimed_at = NULL
WHERE id = :id AND claimed_by = :router AND state = 'submitting'
