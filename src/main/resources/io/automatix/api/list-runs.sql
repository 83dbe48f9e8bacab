SELECT name, raw_status, processed_status, pipeline, cluster, raw_location, attempts, last_error, created_at, updated_at
FROM runs
WHERE CAST(:status AS text) IS NULL OR raw_status = :status OR processed_status = :status
ORDER BY id DESC
LIMIT :limit
