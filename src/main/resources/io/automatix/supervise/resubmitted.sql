-- The recovery script submitted the job again: its next attempt, already queued under its new name
-- (a task of an array goes on as a job of its own).
UPDATE jobs
SET attempt = attempt + 1, max_attempts = greatest(max_attempts, attempt + 1),
    scheduler_job_name = :new_name, scheduler_job_id = :scheduler_job_id, state = 'queued',
    exit_code = NULL, started_at = NULL, finished_at = NULL, submitted_at = now(), last_error = NULL,
    array_name = NULL, array_size = NULL, awaiting_supervision = false,
    end_reason = NULL, end_detail = NULL, scheduler_state = NULL, exit_signal = NULL, elapsed_seconds = NULL,
    max_rss_bytes = NULL, node = NULL, refusals = 0, refused_since = NULL, refusal = NULL,
    note = 'resubmitted by supervision ' || :supervision_id
WHERE id = :job_id AND attempt = :attempt
