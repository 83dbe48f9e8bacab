UPDATE jobs SET state = :state, last_error = :error, finished_at = now(), claimed_by = NULL, claimed_at = NULL,
                refusals = 0, refused_since = NULL, refusal = NULL
WHERE id = ANY(:ids) AND state IN ('pending', 'submitting', 'queued', 'running')
