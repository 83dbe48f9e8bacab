UPDATE supervisions
SET dispatch_status = 'formatted', dispatch_error = :error, claimed_by = NULL, claimed_at = NULL,
    next_dispatch_at = now() + make_interval(secs => :delay_seconds)
WHERE id = :id AND claimed_by = :router AND dispatch_status = 'dispatching'
