-- Claims runs to transfer for this router: acquired runs that are due, and runs left transferring by
-- a router whose lease ran out (it died mid-transfer; rsync resumes what it left).
UPDATE runs
SET claimed_by = :router, claimed_at = now()
WHERE id IN (SELECT id
             FROM runs
             WHERE (raw_status = 'acquired'
                    AND (next_attempt_at IS NULL OR next_attempt_at <= now())
                    AND (claimed_at IS NULL OR claimed_at < now() - make_interval(secs => :lease_seconds)))
                OR (raw_status = 'transferring'
                    AND claimed_at < now() - make_interval(secs => :lease_seconds))
             ORDER BY id
             LIMIT :limit
             FOR UPDATE SKIP LOCKED)
RETURNING id, name, source_host, source_path, cluster, attempts
