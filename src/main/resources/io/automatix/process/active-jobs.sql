-- The jobs a poll watches: those of runs (files in the run's job directory) and of workflow steps
-- (files in the directory recorded on the job).
SELECT j.scheduler_job_name AS name, j.scheduler_job_id AS job_id, r.name AS run_name, j.directory
FROM jobs j
LEFT JOIN runs r ON r.id = j.run_id
WHERE j.cluster = :cluster AND j.state IN ('queued', 'running')
ORDER BY j.id
