-- The jobs that changed last, of runs and of workflow sessions alike.
SELECT j.scheduler_job_name AS name, r.name AS run, s.name AS session, j.step, j.cluster, j.state, j.attempt,
       j.scheduler_job_id AS job_id, j.exit_code, j.end_reason AS reason, j.end_detail AS reason_detail,
       j.submitted_at, j.started_at, j.finished_at, j.updated_at
FROM jobs j
LEFT JOIN runs r ON r.id = j.run_id
LEFT JOIN workflow_sessions s ON s.id = j.session_id
WHERE :all OR r.id IS NOT NULL AND (:all OR coalesce(r.owner, :default_owner) = :user
     OR coalesce(r.owner_group, CAST(:default_group AS text)) = ANY (string_to_array(:groups, ',')))
   OR s.id IS NOT NULL AND (:all OR s.owner = :user OR s.owner_group = ANY (string_to_array(:groups, ',')) OR :user = ANY (s.shared_with))
ORDER BY j.updated_at DESC, j.id DESC
LIMIT 20
