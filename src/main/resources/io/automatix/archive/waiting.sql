-- Compressed runs in no bundle that is still going or done: how many, how many bytes, the oldest.
SELECT count(*) AS runs, coalesce(sum(archive_bytes), 0) AS bytes,
       coalesce(extract(epoch FROM now() - min(compressed_at)), 0) AS oldest_seconds
FROM runs r
WHERE raw_status = 'compressed'
  AND NOT EXISTS (SELECT 1 FROM archive_members m JOIN archive_bundles b ON b.id = m.bundle_id
                  WHERE m.run_id = r.id AND b.status <> 'failed')
