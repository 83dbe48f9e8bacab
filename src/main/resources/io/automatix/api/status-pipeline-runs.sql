-- The runs being processed, per pipeline: how many, and the names of the oldest ten.
SELECT pipeline, count(*) AS runs,
       json_agg(name ORDER BY id) FILTER (WHERE rank <= 10) AS first_runs
FROM (SELECT id, name, pipeline, row_number() OVER (PARTITION BY pipeline ORDER BY id) AS rank
      FROM runs
      WHERE processed_status IN ('queued', 'processing')) r
GROUP BY pipeline
ORDER BY pipeline
