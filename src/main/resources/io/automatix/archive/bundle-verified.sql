WITH bundle AS (
    UPDATE archive_bundles SET status = 'verified', verified_at = now(), claimed_by = NULL
    WHERE id = :id AND status = 'uploading'
    RETURNING id, bucket, key
)
UPDATE runs r SET raw_status = 'archived', raw_location = 's3://' || b.bucket || '/' || b.key
FROM bundle b JOIN archive_members m ON m.bundle_id = b.id
WHERE r.id = m.run_id AND r.raw_status = 'compressed'
RETURNING r.id, r.name, r.cluster, r.archive_file
