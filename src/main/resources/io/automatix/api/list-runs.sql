-- :all, :user, :groups, :default_owner, :default_group: what the user may see (OwnerScope).
SELECT name, coalesce(owner, :default_owner) AS owner, coalesce(owner_group, CAST(:default_group AS text)) AS owner_group, raw_status, processed_status, pipeline, cluster, raw_location, attempts, last_error, created_at, updated_at
FROM runs r
WHERE (CAST(:status AS text) IS NULL OR raw_status = :status OR processed_status = :status)
  AND (:all OR coalesce(r.owner, :default_owner) = :user
     OR coalesce(r.owner_group, CAST(:default_group AS text)) = ANY (string_to_array(:groups, ',')))
ORDER BY id DESC
LIMIT :limit
