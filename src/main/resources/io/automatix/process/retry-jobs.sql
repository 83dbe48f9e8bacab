-- A failed or lost job with attempts left goes back to pending under its next attempt's name, after
-- a delay, while its run is being processed or its step is live. The attempt that failed stays in
-- the events (job.failed, under its own name, with exit code). A task of a job array is tried again
-- on its own. A job's recovery policy has decided first (RecoveryPolicy): its next attempt's
-- resources are already on it, and what it decided is in the note.
UPDATE jobs j
SET state = 'pending', attempt = j.attempt + 1,
    scheduler_job_name = job_attempt_name(r.name, j.step, j.first_name, j.attempt + 1),
    scheduler_job_id = NULL, exit_code = NULL, submitted_at = NULL, started_at = NULL, finished_at = NULL,
    claimed_by = NULL, claimed_at = NULL, array_name = NULL, array_size = NULL,
    end_reason = NULL, end_detail = NULL, scheduler_state = NULL, exit_signal = NULL, elapsed_seconds = NULL,
    max_rss_bytes = NULL, node = NULL, refusals = 0, refused_since = NULL, refusal = NULL,
    note = 'attempt ' || j.attempt || ' ' || j.state || ': ' || coalesce(j.last_error, '?')
           || coalesce('; ' || j.recovery, ''),
    next_attempt_at = now() + make_interval(secs => :delay_seconds)
FROM jobs o
LEFT JOIN runs r ON r.id = o.run_id
LEFT JOIN session_steps st ON st.id = o.step_id
WHERE o.id = j.id AND j.id = ANY(:ids) AND j.state IN ('failed', 'lost') AND j.attempt < j.max_attempts
  AND (r.processed_status IN ('queued', 'processing') OR st.status = 'running')
RETURNING j.id
