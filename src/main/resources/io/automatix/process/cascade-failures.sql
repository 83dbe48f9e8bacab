-- Jobs that failed for good (run after retry-jobs, so no attempts are left): every pending job that
-- depends on them, directly or not, is cancelled, and their run fails with the reason. On clusters
-- supervised automatically (:held) the run waits instead: its supervision may resubmit the job
-- (unless the job's recovery policy failed it for good: recovery_final).
WITH RECURSIVE failed AS (
    SELECT id, run_id, step, state, attempt, last_error
    FROM jobs
    WHERE id = ANY(:ids) AND state IN ('failed', 'lost') AND (NOT (cluster = ANY(:held)) OR recovery_final)
), descendants AS (
    SELECT d.job_id AS id FROM job_dependencies d JOIN failed f ON d.parent_job_id = f.id
    UNION
    SELECT d.job_id FROM job_dependencies d JOIN descendants x ON d.parent_job_id = x.id
), cancelled AS (
    UPDATE jobs SET state = 'cancelled', note = 'a job it depends on failed'
    WHERE id IN (SELECT id FROM descendants) AND state = 'pending'
    RETURNING id
)
UPDATE runs r
SET processed_status = 'failed',
    last_error = (SELECT 'step ' || f.step || ' ' || f.state || ' after ' || f.attempt || ' attempt(s): '
                         || coalesce(f.last_error, '?')
                  FROM failed f WHERE f.run_id = r.id ORDER BY f.id LIMIT 1)
WHERE r.id IN (SELECT run_id FROM failed) AND r.processed_status IN ('queued', 'processing')
