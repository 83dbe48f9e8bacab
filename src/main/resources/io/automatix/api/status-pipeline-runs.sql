-- The runs being processed, per pipeline: how many, and the names of the oldest ten.
SELECT pipeline, count(*) AS runs,
       json_agg(name ORDER BY id) FILTER (WHERE rank <= 10) AS first_runs
FROM (SELECT id, name, pipeline, row_number() OVER (PARTITION BY pipeline ORDER BY id) AS rank
      FROM runs r
      WHERE processed_status IN ('queued', 'processing')
        AND (:all OR coalesce(r.owner, :default_owner) = :user
     OR coalesce(r.owner_group, CAST(:default_group AS text)) = ANY (string_to_array(:groups, ',')))) r
GROUP BY pipeline
ORDER BY pipeline
