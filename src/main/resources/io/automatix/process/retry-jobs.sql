-- A failed or lost job with attempts left goes back to pending under its next attempt's name, after
-- a delay. The attempt that failed stays in the events (job.failed, under its own name, with exit code).
UPDATE jobs j
SET state = 'pending', attempt = j.attempt + 1, scheduler_job_name = job_name(r.name, j.step, j.attempt + 1),
    scheduler_job_id = NULL, exit_code = NULL, submitted_at = NULL, started_at = NULL, finished_at = NULL,
    claimed_by = NULL, claimed_at = NULL,
    note = 'attempt ' || j.attempt || ' ' || j.state || ': ' || coalesce(j.last_error, '?'),
    next_attempt_at = now() + make_interval(secs => :delay_seconds)
FROM runs r
WHERE r.id = j.run_id AND j.id = ANY(:ids) AND j.state IN ('failed', 'lost') AND j.attempt < j.max_attempts
  AND r.processed_status IN ('queued', 'processing')
RETURNING j.id
