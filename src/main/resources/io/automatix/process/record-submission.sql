-- The scheduler took the job (or had it already), at :at by the cluster's clock when known. A report
-- that it started or even finished may have come first: the state only moves from submitting. Its
-- directory is recorded: a change of the cluster's layout applies to the jobs submitted after it. Its
-- refusals are over.
UPDATE jobs
SET scheduler_job_id = coalesce(:scheduler_job_id, scheduler_job_id),
    directory = coalesce(:directory, directory),
    submitted_at = coalesce(submitted_at, to_timestamp(CAST(:at AS double precision)), now()),
    state = CASE WHEN state = 'submitting' THEN 'queued' ELSE state END,
    claimed_by = NULL, claimed_at = NULL, next_attempt_at = NULL, note = NULL,
    refusals = 0, refused_since = NULL, refusal = NULL
WHERE id = :id AND claimed_by = :router AND scheduler_job_name = :name
RETURNING run_id
