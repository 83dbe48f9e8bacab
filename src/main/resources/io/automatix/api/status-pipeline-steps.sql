-- The DAG progress of the runs being processed, per pipeline and step. A retried step counts once,
-- by its newest attempt. Steps come in the order their jobs were created in (the pipeline's order,
-- parents first), taken within each run so that retries do not reorder them.
WITH attempts AS (
    SELECT j.run_id, j.step, j.state, r.pipeline,
           min(j.id) OVER (PARTITION BY j.run_id, j.step) AS first_id,
           row_number() OVER (PARTITION BY j.run_id, j.step ORDER BY j.attempt DESC) AS newest
    FROM jobs j
    JOIN runs r ON r.id = j.run_id
    WHERE r.processed_status IN ('queued', 'processing')
      AND (:all OR coalesce(r.owner, :default_owner) = :user
     OR coalesce(r.owner_group, CAST(:default_group AS text)) = ANY (string_to_array(:groups, ',')))
), latest AS (
    SELECT *, dense_rank() OVER (PARTITION BY run_id ORDER BY first_id) AS position
    FROM attempts
    WHERE newest = 1
)
SELECT pipeline, step, count(*) AS total,
       count(*) FILTER (WHERE state = 'succeeded') AS succeeded,
       count(*) FILTER (WHERE state = 'running') AS running,
       count(*) FILTER (WHERE state IN ('submitting', 'queued')) AS queued,
       count(*) FILTER (WHERE state = 'pending') AS pending,
       count(*) FILTER (WHERE state IN ('failed', 'lost', 'cancelled')) AS failed
FROM latest
GROUP BY pipeline, step
ORDER BY pipeline, min(position), step
