-- Back-pressure. Refused by the scheduler (limits): nothing was submitted, the job waits as pending.
-- Outcome unknown (connection lost mid-way): it stays submitting, unclaimed, and is looked up by
-- name before it is submitted again. No attempt is spent either way.
UPDATE jobs
SET state = CASE WHEN :refused THEN 'pending' ELSE 'submitting' END,
    claimed_by = NULL, claimed_at = NULL, note = :note,
    next_attempt_at = now() + make_interval(secs => :delay_seconds)
WHERE id = :id AND claimed_by = :router AND state = 'submitting'
