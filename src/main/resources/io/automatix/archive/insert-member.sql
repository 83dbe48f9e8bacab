INSERT INTO archive_members (bundle_id, run_id, size_bytes, checksum) VALUES (:bundle_id, :run_id, :bytes, :sha256)
