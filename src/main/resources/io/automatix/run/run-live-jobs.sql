SELECT j.id, j.cluster, j.scheduler_job_name AS name, j.scheduler_job_id AS job_id, r.name AS run_name
FROM jobs j JOIN runs r ON r.id = j.run_id
WHERE r.name = :run AND j.state IN ('pending', 'submitting', 'queued', 'running')
