-- One router dispatches a supervision at a time; a dispatch whose router died is taken over after the lease.
UPDATE supervisions
SET dispatch_status = 'dispatching', dispatch_attempts = dispatch_attempts + 1,
    claimed_by = :router, claimed_at = now()
WHERE id = :id
  AND (dispatch_status = 'formatted'
       OR (dispatch_status = 'dispatching' AND claimed_at < now() - make_interval(secs => :lease_seconds)))
  AND (next_dispatch_at IS NULL OR next_dispatch_at <= now())
RETURNING dispatch_attempts
