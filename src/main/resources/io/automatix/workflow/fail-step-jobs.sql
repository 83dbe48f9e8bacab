UPDATE jobs SET state = :state, last_error = :error, finished_at = now(), claimed_by = NULL, claimed_at = NULL
WHERE id = ANY(:ids) AND state IN ('pending', 'submitting', 'queued', 'running')
