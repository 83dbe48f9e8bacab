-- Jobs that need supervision and have none for this incident (a job's attempt that failed for good,
-- got lost, runs late, or is stuck) on the clusters that are supervised, a run's or a workflow
-- step's alike. Failures are looked at for a day; lateness and stuck jobs only while the run is being
-- processed (or the step runs). Not a failure its recovery policy made final (fail: the pipeline says
-- it can never succeed). Stuck: the scheduler refused the attempt :stuck_refusals times, or has
-- refused it for :stuck_seconds; the incident carries the scheduler's last words.
SELECT i.*
FROM (SELECT j.id AS job_id, j.run_id, j.cluster, j.attempt,
             CASE WHEN j.state IN ('failed', 'lost') THEN j.state
                  WHEN j.state IN ('pending', 'submitting') THEN 'stuck'
                  ELSE 'late' END AS trigger,
             CASE WHEN j.state IN ('pending', 'submitting') THEN j.refusal END AS detail,
             CASE WHEN j.state IN ('pending', 'submitting') THEN j.refusals ELSE 0 END AS refusals,
             CASE WHEN j.state IN ('pending', 'submitting') THEN j.refused_since END AS refused_since
      FROM jobs j
      LEFT JOIN runs r ON r.id = j.run_id
      LEFT JOIN session_steps st ON st.id = j.step_id
      WHERE j.cluster IN (:clusters)
        AND ((j.state IN ('failed', 'lost') AND j.attempt >= j.max_attempts AND NOT j.recovery_final
              AND j.finished_at > now() - interval '1 day')
          OR ((r.processed_status IN ('queued', 'processing') OR st.status = 'running')
              AND ((j.state = 'running'
                    AND j.started_at + coalesce(j.expected, j.walltime) + make_interval(secs => :grace_seconds) < now())
                OR (j.state = 'queued' AND j.submitted_at + make_interval(secs => :queued_limit_seconds) < now())
                OR (j.state IN ('pending', 'submitting') AND j.refusals > 0
                    AND (j.refusals >= :stuck_refusals
                         OR j.refused_since < now() - make_interval(secs => :stuck_seconds))))))) i
WHERE NOT EXISTS (SELECT 1 FROM supervisions s
                  WHERE s.job_id = i.job_id AND s.attempt = i.attempt AND s.trigger = i.trigger)
ORDER BY i.job_id
LIMIT 100
