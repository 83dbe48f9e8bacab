-- The newest supervisions; with :alerts only those that reached a person or gave up (notified,
-- escalated, failed), which are the alerts. A stuck job's supervision carries the scheduler's words
-- (detail) and says how it closed (closed_as: submitted, cancelled), if it has.
SELECT s.id, j.scheduler_job_name AS job, r.name AS run, s.trigger, s.level, s.dispatch_status,
       s.execution_status, s.dispatch_error, s.detail, s.closed_as, s.created_at
FROM supervisions s
JOIN jobs j ON j.id = s.job_id
LEFT JOIN runs r ON r.id = s.run_id
LEFT JOIN workflow_sessions w ON w.id = j.session_id
WHERE (NOT :alerts OR s.dispatch_status IN ('notified', 'escalated', 'failed'))
  AND (:all OR r.id IS NOT NULL AND (:all OR coalesce(r.owner, :default_owner) = :user
     OR coalesce(r.owner_group, CAST(:default_group AS text)) = ANY (string_to_array(:groups, ',')))
       OR w.id IS NOT NULL AND (:all OR w.owner = :user OR w.owner_group = ANY (string_to_array(:groups, ',')) OR :user = ANY (w.shared_with)))
ORDER BY s.id DESC
LIMIT 20
