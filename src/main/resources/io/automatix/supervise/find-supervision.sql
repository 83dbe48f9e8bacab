SELECT s.id, s.trigger, s.level, s.attempt AS incident_attempt, s.dispatch_status, s.dispatch_attempts, s.script,
       j.id AS job_id, j.step, j.cluster, j.scheduler_job_name, j.scheduler_job_id, j.attempt, j.state, j.partition,
       extract(epoch FROM j.walltime)::bigint AS walltime_seconds, j.exit_code, j.last_error,
       r.id AS run_id, r.name AS run_name
FROM supervisions s
JOIN jobs j ON j.id = s.job_id
JOIN runs r ON r.id = j.run_id
WHERE s.id = :id
