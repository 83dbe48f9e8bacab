UPDATE runs
SET raw_status = 'ondeck', raw_location = :location, claimed_by = NULL, claimed_at = NULL,
    last_error = NULL, next_attempt_at = NULL, note = NULL
WHERE id = :id AND claimed_by = :router AND raw_status = 'transferring'
