UPDATE runs
SET raw_status = 'transfer_failed', last_error = :error, claimed_by = NULL, claimed_at = NULL,
    attempts = greatest(attempts, :attempts),
    next_attempt_at = NULL
WHERE id = :id AND claimed_by = :router AND raw_status IN ('acquired', 'transferring')
