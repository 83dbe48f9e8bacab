-- A name is the owner's live session of that name, or else the last one that had it.
SELECT id, name, owner, workflow_file AS workflow, wdf, variables::text AS variables, cluster, directory, status, shared_with,
       share_token_sha256, force_stop, last_error, created_at, stopped_at
FROM workflow_sessions
WHERE owner = :owner AND name = :name
ORDER BY status NOT IN ('stopped', 'failed') DESC, id DESC
LIMIT 1
