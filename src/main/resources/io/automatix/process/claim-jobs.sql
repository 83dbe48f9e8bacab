-- Claims the jobs of one cluster that are ready to submit, as many as its cap on jobs in flight
-- leaves room for (the caller holds the cluster's advisory lock, so the count stays true):
--   pending jobs whose parents all succeeded (the DAG join, for every run at once), when due;
--   submitting jobs whose outcome is unknown (claim released or lease run out): looked up first.
UPDATE jobs j
SET state = 'submitting', claimed_by = :router, claimed_at = now(), note = NULL
FROM (SELECT c.id, c.state AS was, r.name AS run_name, r.pipeline, r.metadata::text AS metadata,
             r.raw_location
      FROM jobs c
      JOIN runs r ON r.id = c.run_id
      WHERE c.cluster = :cluster
        AND (c.next_attempt_at IS NULL OR c.next_attempt_at <= now())
        AND ((c.state = 'pending'
              AND NOT EXISTS (SELECT 1
                              FROM job_dependencies d
                              JOIN jobs p ON p.id = d.parent_job_id
                              WHERE d.job_id = c.id AND p.state <> 'succeeded'))
          OR (c.state = 'submitting'
              AND (c.claimed_by IS NULL OR c.claimed_at < now() - make_interval(secs => :lease_seconds))))
      ORDER BY c.id
      LIMIT least(:batch, greatest(0, :max_jobs - (SELECT count(*)
                                                    FROM jobs a
                                                    WHERE a.cluster = :cluster
                                                      AND a.state IN ('queued', 'running'))
                                              - (SELECT count(*)
                                                 FROM jobs a
                                                 WHERE a.cluster = :cluster AND a.state = 'submitting'
                                                   AND a.claimed_by IS NOT NULL
                                                   AND a.claimed_at >= now() - make_interval(secs => :lease_seconds))))
      FOR UPDATE OF c SKIP LOCKED) ready
WHERE j.id = ready.id
RETURNING j.id, j.run_id, j.step, j.cluster, j.scheduler_job_name, j.attempt, j.partition,
          extract(epoch FROM j.walltime)::bigint AS walltime_seconds, ready.was, ready.run_name, ready.pipeline,
          ready.metadata, ready.raw_location
