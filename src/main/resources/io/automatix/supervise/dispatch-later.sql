-- :refund 1 gives the attempt back: the cluster waits for a person's login, which is not a failed dispatch.
UPDATE supervisions
SET dispatch_status = 'formatted', dispatch_error = :error, claimed_by = NULL, claimed_at = NULL,
    dispatch_attempts = dispatch_attempts - :refund,
    next_dispatch_at = now() + make_interval(secs => :delay_seconds)
WHERE id = :id AND claimed_by = :router AND dispatch_status = 'dispatching'
