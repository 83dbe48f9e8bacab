-- Back-pressure. Refused by the scheduler (limits): nothing was submitted, the job waits as pending,
-- and the refusal is counted against its attempt with the scheduler's words (the caller's delay
-- grows with the count: JobSettings.backoffAfter). Outcome unknown (connection lost mid-way): it
-- stays submitting, unclaimed, and is looked up by name before it is submitted again; that is no
-- refusal. No attempt is spent either way.
UPDATE jobs
SET state = CASE WHEN :refused THEN 'pending' ELSE 'submitting' END,
    claimed_by = NULL, claimed_at = NULL, note = :note,
    refusals = refusals + CASE WHEN :refused THEN 1 ELSE 0 END,
    refused_since = CASE WHEN :refused THEN coalesce(refused_since, now()) ELSE refused_since END,
    refusal = CASE WHEN :refused THEN :refusal ELSE refusal END,
    next_attempt_at = now() + make_interval(secs => :delay_seconds)
WHERE id = :id AND claimed_by = :router AND state = 'submitting'
