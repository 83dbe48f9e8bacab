-- The live sessions a user may see: their own, those shared with them by name and their groups'
-- ones; with :all (operators, admins) every one.
SELECT id, name, owner, workflow_file AS workflow, wdf, variables::text AS variables, cluster, directory, status, shared_with,
       share_token_sha256, force_stop, last_error, created_at, stopped_at
FROM workflow_sessions
WHERE status NOT IN ('stopped', 'failed')
  AND (:all OR owner = :user OR :user = ANY (shared_with) OR owner_group = ANY (string_to_array(:groups, ',')))
ORDER BY id
