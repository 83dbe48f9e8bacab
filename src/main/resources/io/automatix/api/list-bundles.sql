SELECT b.id, b.bucket, b.key, b.size_bytes, b.checksum, b.status, b.last_error, b.created_at, b.verified_at,
       ARRAY(SELECT r.name FROM archive_members m JOIN runs r ON r.id = m.run_id WHERE m.bundle_id = b.id ORDER BY r.name)
           AS runs
FROM archive_bundles b
ORDER BY b.id DESC
LIMIT :limit
