-- Processes a run again: its jobs go back to pending under their next attempt's names (so that no
-- name of a job the scheduler may still remember is reused), and the run is queued again.
WITH run AS (
    UPDATE runs SET processed_status = 'queued', last_error = NULL
    WHERE name = :run AND processed_status IN ('processed', 'failed')
    RETURNING id, name
)
UPDATE jobs j
SET state = 'pending', attempt = j.attempt + 1, max_attempts = j.max_attempts + 1,
    scheduler_job_name = job_name(run.name, j.step, j.attempt + 1), scheduler_job_id = NULL, exit_code = NULL,
    submitted_at = NULL, started_at = NULL, finished_at = NULL, claimed_by = NULL, claimed_at = NULL,
    next_attempt_at = NULL, last_error = NULL, note = 'reprocessing requested',
    end_reason = NULL, end_detail = NULL, scheduler_state = NULL, exit_signal = NULL, elapsed_seconds = NULL,
    max_rss_bytes = NULL, node = NULL, refusals = 0, refused_since = NULL, refusal = NULL
FROM run
WHERE j.run_id = run.id
RETURNING j.id
