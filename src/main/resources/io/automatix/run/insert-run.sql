INSERT INTO runs (name, source_host, source_path, pipeline, cluster, metadata)
VALUES (:name, :source_host, :source_path, :pipeline, :cluster, CAST(:metadata AS jsonb))
ON CONFLICT (name) DO NOTHING
RETURNING id
