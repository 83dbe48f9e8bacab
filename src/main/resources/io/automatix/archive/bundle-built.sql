UPDATE archive_bundles SET status = 'uploading', size_bytes = :bytes, checksum = :sha256, manifest = CAST(:manifest AS jsonb)
WHERE id = :id AND claimed_by = :router AND status = 'building'
