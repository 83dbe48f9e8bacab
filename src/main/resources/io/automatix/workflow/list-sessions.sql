-- The live sessions a user may see: their own and those shared with them by name.
SELECT id, name, owner, workflow_file AS workflow, wdf, variables::text AS variables, cluster, directory, status, shared_with,
       share_token_sha256, force_stop, last_error, created_at, stopped_at
FROM workflow_sessions
WHERE status NOT IN ('stopped', 'failed') AND (owner = :user OR :user = ANY (shared_with))
ORDER BY id
