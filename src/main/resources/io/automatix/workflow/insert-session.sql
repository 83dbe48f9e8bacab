INSERT INTO workflow_sessions (name, owner, owner_group, workflow_file, wdf, variables, cluster, directory)
VALUES (:name, :owner, :owner_group, :workflow, :wdf, CAST(:variables AS jsonb), :cluster, :directory)
RETURNING id
