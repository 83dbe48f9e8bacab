UPDATE runs
SET raw_status = 'transferring', attempts = attempts + 1, note = NULL, claimed_at = now()
WHERE id = :id AND claimed_by = :router AND raw_status IN ('acquired', 'transferring')
RETURNING attempts
