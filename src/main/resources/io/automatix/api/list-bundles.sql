SELECT b.id, b.bucket, b.key, b.size_bytes, b.checksum, b.status, b.last_error, b.created_at, b.verified_at,
       ARRAY(SELECT r.name FROM archive_members m JOIN runs r ON r.id = m.run_id WHERE m.bundle_id = b.id
             AND (:all OR coalesce(r.owner, :default_owner) = :user
     OR coalesce(r.owner_group, CAST(:default_group AS text)) = ANY (string_to_array(:groups, ','))) ORDER BY r.name)
           AS runs
FROM archive_bundles b
-- a bundle is seen by who may see one of its runs, and shows only those
WHERE EXISTS (SELECT 1 FROM archive_members m JOIN runs r ON r.id = m.run_id WHERE m.bundle_id = b.id
              AND (:all OR coalesce(r.owner, :default_owner) = :user
     OR coalesce(r.owner_group, CAST(:default_group AS text)) = ANY (string_to_array(:groups, ','))))
ORDER BY b.id DESC
LIMIT :limit
