-- A run's owner and group (the configured ones for a run that has none), and whether the user
-- may see and act on it.
SELECT coalesce(r.owner, :default_owner) AS owner, coalesce(r.owner_group, CAST(:default_group AS text)) AS owner_group,
       (:all OR coalesce(r.owner, :default_owner) = :user
     OR coalesce(r.owner_group, CAST(:default_group AS text)) = ANY (string_to_array(:groups, ','))) AS visible
FROM runs r
WHERE r.name = :name
