-- Processed runs to compress, for this router (a router that died compressing loses them after the lease),
-- but none on the clusters that wait for a person's login (:waiting, never empty).
UPDATE runs SET claimed_by = :router, claimed_at = now()
WHERE id IN (SELECT id FROM runs
             WHERE raw_status = 'ondeck' AND processed_status = 'processed'
               AND cluster NOT IN (:waiting)
               AND (claimed_at IS NULL OR claimed_at < now() - make_interval(secs => :lease_seconds))
             ORDER BY id
             LIMIT :limit
             FOR UPDATE SKIP LOCKED)
RETURNING id, name, cluster
