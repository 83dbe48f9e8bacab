UPDATE runs
SET raw_status = 'compressed', archive_file = :file, archive_bytes = :bytes, archive_sha256 = :sha256,
    archive_files = CAST(:files AS jsonb), compressed_at = now(), claimed_by = NULL, claimed_at = NULL, last_error = NULL
WHERE id = :id AND claimed_by = :router AND raw_status = 'ondeck'
