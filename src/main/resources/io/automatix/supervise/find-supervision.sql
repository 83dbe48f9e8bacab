-- A supervision with its job (a run's or a workflow step's) and what its recovery script needs:
-- where the job's files are, its script (a task of an array runs the array's), the name of its next
-- attempt, and for a step's command the command itself.
SELECT s.id, s.trigger, s.level, s.attempt AS incident_attempt, s.dispatch_status, s.dispatch_attempts, s.script,
       j.id AS job_id, j.step, j.cluster, j.scheduler_job_name, j.scheduler_job_id, j.attempt, j.state, j.partition,
       extract(epoch FROM j.walltime)::bigint AS walltime_seconds, j.exit_code, j.last_error,
       r.id AS run_id, coalesce(r.name, w.name) AS run_name, j.directory, j.parameter_index,
       CASE WHEN j.array_name IS NOT NULL AND j.scheduler_job_id LIKE '%\_%' THEN j.array_name
            ELSE j.scheduler_job_name END AS script_name,
       job_attempt_name(r.name, j.step, j.first_name, j.attempt + 1) AS next_name,
       j.command, j.workdir, j.environment::text AS environment, j.session_id
FROM supervisions s
JOIN jobs j ON j.id = s.job_id
LEFT JOIN runs r ON r.id = j.run_id
LEFT JOIN workflow_sessions w ON w.id = j.session_id
WHERE s.id = :id
