-- Live workflow sessions with the newest instance of each of their steps.
SELECT w.id, w.name, w.owner, w.status, w.cluster, w.created_at,
       coalesce((SELECT json_agg(json_build_object('step', st.step, 'instance', st.instance, 'status', st.status,
                                                   'outcome', st.outcome) ORDER BY st.id)
                 FROM (SELECT DISTINCT ON (step) * FROM session_steps
                       WHERE session_id = w.id ORDER BY step, instance DESC) st), '[]') AS steps
FROM workflow_sessions w
WHERE w.status NOT IN ('stopped', 'failed')
  AND (:all OR w.owner = :user OR w.owner_group = ANY (string_to_array(:groups, ',')) OR :user = ANY (w.shared_with))
ORDER BY w.id
LIMIT 20
