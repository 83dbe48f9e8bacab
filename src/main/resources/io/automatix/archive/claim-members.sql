-- The runs of a new bundle, oldest first, up to the count and byte limits.
SELECT id, name, cluster, archive_file, archive_bytes, archive_sha256, archive_files::text AS files
FROM runs r
WHERE raw_status = 'compressed'
  AND NOT EXISTS (SELECT 1 FROM archive_members m JOIN archive_bundles b ON b.id = m.bundle_id
                  WHERE m.run_id = r.id AND b.status <> 'failed')
ORDER BY compressed_at, id
LIMIT :limit
FOR UPDATE SKIP LOCKED
