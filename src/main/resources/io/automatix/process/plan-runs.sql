-- Ondeck runs whose jobs are still to be created; the caller creates them in this transaction.
UPDATE runs
SET processed_status = 'queued', pipeline = coalesce(pipeline, :default_pipeline),
    cluster = coalesce(cluster, :default_cluster)
WHERE id IN (SELECT id
             FROM runs
             WHERE raw_status = 'ondeck' AND processed_status = 'none'
             ORDER BY id
             LIMIT :limit
             FOR UPDATE SKIP LOCKED)
RETURNING id, name, pipeline, cluster
