-- A run's processing is given up on request: its live jobs are cancelled (the scheduler was told
-- first) and the run fails with who asked.
WITH jobs_cancelled AS (
    UPDATE jobs j SET state = 'cancelled', note = :reason, finished_at = now(), claimed_by = NULL, claimed_at = NULL,
                      refusals = 0, refused_since = NULL, refusal = NULL
    FROM runs r
    WHERE r.id = j.run_id AND r.name = :run AND j.state IN ('pending', 'submitting', 'queued', 'running')
    RETURNING j.id
)
UPDATE runs SET processed_status = 'failed', last_error = :reason
WHERE name = :run AND processed_status IN ('none', 'queued', 'processing')
RETURNING (SELECT count(*) FROM jobs_cancelled) AS jobs
