SELECT id, name, source_host, source_path, raw_status, raw_location, processed_status, pipeline,
       cluster, metadata::text AS metadata, attempts, last_error, created_at, updated_at
FROM runs
WHERE name = :name
