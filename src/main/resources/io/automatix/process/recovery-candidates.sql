-- Failed or lost jobs with a recovery policy, among those just changed, whose run is being processed
-- (the jobs retry-jobs.sql could put back): how their attempt ended and what it ran with, for the
-- policy to decide on (RecoveryPolicy).
SELECT j.id, j.state, j.end_reason, j.exit_code, j.recovery_policy::text AS recovery_policy,
       j.resource_overrides::text AS resource_overrides, j.recoveries::text AS recoveries,
       extract(epoch FROM j.walltime)::bigint AS walltime_seconds, j.partition, r.cluster
FROM jobs j
JOIN runs r ON r.id = j.run_id
WHERE j.id = ANY(:ids) AND j.state IN ('failed', 'lost') AND j.recovery_policy IS NOT NULL
  AND r.processed_status IN ('queued', 'processing')
