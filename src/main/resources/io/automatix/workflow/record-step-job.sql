UPDATE jobs
SET scheduler_job_id = coalesce(:scheduler_job_id, scheduler_job_id), submitted_at = coalesce(submitted_at, now()),
    state = CASE WHEN state = 'submitting' THEN 'queued' ELSE state END, claimed_by = NULL, claimed_at = NULL
WHERE id = :id
