SELECT s.id, j.scheduler_job_name AS job, r.name AS run, s.trigger, s.attempt, s.level, s.dispatch_status,
       s.dispatch_error, s.dispatch_attempts, s.execution_status, s.detail, s.created_at, s.dispatched_at,
       s.finished_at, s.closed_at, s.closed_as
FROM supervisions s
JOIN jobs j ON j.id = s.job_id
LEFT JOIN runs r ON r.id = s.run_id
LEFT JOIN workflow_sessions w ON w.id = j.session_id
WHERE (CAST(:run AS text) IS NULL OR r.name = :run)
  AND (:all OR r.id IS NOT NULL AND (:all OR coalesce(r.owner, :default_owner) = :user
     OR coalesce(r.owner_group, CAST(:default_group AS text)) = ANY (string_to_array(:groups, ',')))
       OR w.id IS NOT NULL AND (:all OR w.owner = :user OR w.owner_group = ANY (string_to_array(:groups, ',')) OR :user = ANY (w.shared_with)))
ORDER BY s.id DESC
LIMIT :limit
