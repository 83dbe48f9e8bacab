-- Jobs that need supervision and have none for this incident (a job's attempt that failed for good,
-- got lost, or runs late) on the clusters that are supervised, a run's or a workflow step's alike.
-- Failures are looked at for a day; lateness only while the run is being processed (or the step runs).
-- Not a failure its recovery policy made final (fail: the pipeline says it can never succeed).
SELECT j.id AS job_id, j.run_id, j.cluster, j.attempt,
       CASE WHEN j.state IN ('failed', 'lost') THEN j.state ELSE 'late' END AS trigger
FROM jobs j
LEFT JOIN runs r ON r.id = j.run_id
LEFT JOIN session_steps st ON st.id = j.step_id
WHERE j.cluster IN (:clusters)
  AND ((j.state IN ('failed', 'lost') AND j.attempt >= j.max_attempts AND NOT j.recovery_final
        AND j.finished_at > now() - interval '1 day')
    OR ((r.processed_status IN ('queued', 'processing') OR st.status = 'running')
        AND ((j.state = 'running'
              AND j.started_at + coalesce(j.expected, j.walltime) + make_interval(secs => :grace_seconds) < now())
          OR (j.state = 'queued' AND j.submitted_at + make_interval(secs => :queued_limit_seconds) < now()))))
  AND NOT EXISTS (SELECT 1 FROM supervisions s
                  WHERE s.job_id = j.id AND s.attempt = j.attempt
                    AND s.trigger = CASE WHEN j.state IN ('failed', 'lost') THEN j.state ELSE 'late' END)
ORDER BY j.id
LIMIT 100
