-- Jobs the clusters have (or are being given), per cluster: the partial index jobs_active covers it.
SELECT j.cluster,
       count(*) FILTER (WHERE j.state = 'submitting') AS submitting,
       count(*) FILTER (WHERE j.state = 'queued') AS queued,
       count(*) FILTER (WHERE j.state = 'running') AS running
FROM jobs j
LEFT JOIN runs r ON r.id = j.run_id
LEFT JOIN workflow_sessions s ON s.id = j.session_id
WHERE j.state IN ('submitting', 'queued', 'running')
  AND (:all OR r.id IS NOT NULL AND (:all OR coalesce(r.owner, :default_owner) = :user
     OR coalesce(r.owner_group, CAST(:default_group AS text)) = ANY (string_to_array(:groups, ',')))
       OR s.id IS NOT NULL AND (:all OR s.owner = :user OR s.owner_group = ANY (string_to_array(:groups, ',')) OR :user = ANY (s.shared_with)))
GROUP BY j.cluster
ORDER BY j.cluster
