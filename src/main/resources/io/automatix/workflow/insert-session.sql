INSERT INTO workflow_sessions (name, owner, workflow_file, wdf, variables, cluster, directory)
VALUES (:name, :owner, :workflow, :wdf, CAST(:variables AS jsonb), :cluster, :directory)
RETURNING id
