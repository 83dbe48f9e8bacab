-- The key carries the bundle's id, so the id is taken first.
INSERT INTO archive_bundles (id, bucket, key, status, claimed_by, claimed_at)
VALUES (:id, :bucket, :key, 'building', :router, now())
