SELECT b.bucket, b.key, b.checksum, b.size_bytes, r.archive_sha256, r.archive_file
FROM runs r
JOIN archive_members m ON m.run_id = r.id
JOIN archive_bundles b ON b.id = m.bundle_id AND b.status = 'verified'
WHERE r.name = :name
ORDER BY b.verified_at DESC
LIMIT 1
