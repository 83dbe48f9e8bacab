-- owner and owner_group are null for the acquisition system's runs (automatix.runs.default-owner)
INSERT INTO runs (name, source_host, source_path, pipeline, cluster, metadata, owner, owner_group)
VALUES (:name, :source_host, :source_path, :pipeline, :cluster, CAST(:metadata AS jsonb), :owner, :owner_group)
ON CONFLICT (name) DO NOTHING
RETURNING id
