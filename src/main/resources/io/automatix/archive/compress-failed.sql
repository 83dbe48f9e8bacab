-- permanent: compress_failed; transient: released, to be claimed again after the lease, or at once
-- (:now) when its cluster waits for a login (it is not claimed while it does)
UPDATE runs
SET raw_status = CASE WHEN :permanent THEN 'compress_failed' ELSE raw_status END, last_error = :error,
    claimed_by = NULL, claimed_at = CASE WHEN :permanent OR :now THEN NULL ELSE claimed_at END
WHERE id = :id AND claimed_by = :router AND raw_status = 'ondeck'
