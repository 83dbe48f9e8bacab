-- What a dry run would transfer: due acquired runs, claimed by nobody, unchanged.
SELECT id, name, source_host, source_path, cluster, attempts
FROM runs
WHERE raw_status = 'acquired' AND (next_attempt_at IS NULL OR next_attempt_at <= now())
ORDER BY id
LIMIT :limit
