-- Runs by status, both axes: the raw data's (transfer, archive) and the processing's.
SELECT 'raw_status' AS axis, raw_status AS status, count(*) AS runs FROM runs r
WHERE (:all OR coalesce(r.owner, :default_owner) = :user
     OR coalesce(r.owner_group, CAST(:default_group AS text)) = ANY (string_to_array(:groups, ','))) GROUP BY raw_status
UNION ALL
SELECT 'processed_status', processed_status, count(*) FROM runs r
WHERE (:all OR coalesce(r.owner, :default_owner) = :user
     OR coalesce(r.owner_group, CAST(:default_group AS text)) = ANY (string_to_array(:groups, ','))) GROUP BY processed_status
