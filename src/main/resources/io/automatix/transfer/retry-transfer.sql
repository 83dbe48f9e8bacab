-- Back to acquired, to be claimed again after the back-off (a transient error, or a live acquisition).
-- An attempt that failed before its transfer started (e.g. the source host unreachable) counts too.
UPDATE runs
SET raw_status = 'acquired', claimed_by = NULL, claimed_at = NULL, attempts = greatest(attempts, :attempts),
    last_error = coalesce(:error, last_error), note = :note,
    next_attempt_at = now() + make_interval(secs => :delay_seconds)
WHERE id = :id AND claimed_by = :router AND raw_status IN ('acquired', 'transferring')
