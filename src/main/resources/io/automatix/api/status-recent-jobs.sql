-- The jobs that changed last, of runs and of workflow sessions alike.
SELECT j.scheduler_job_name AS name, r.name AS run, s.name AS session, j.step, j.cluster, j.state, j.attempt,
       j.scheduler_job_id AS job_id, j.exit_code, j.end_reason AS reason, j.end_detail AS reason_detail,
       j.submitted_at, j.started_at, j.finished_at, j.updated_at
FROM jobs j
LEFT JOIN runs r ON r.id = j.run_id
LEFT JOIN workflow_sessions s ON s.id = j.session_id
ORDER BY j.updated_at DESC, j.id DESC
LIMIT 20
