-- What a job's recovery policy decided on its end. A resubmission is an extra attempt, not one of the
-- step's retries (max_attempts grows with it), with the next attempt's resources, walltime and
-- partition, for retry-jobs.sql to put back to pending; a failure for good leaves no attempt, and a
-- final one (fail) is not for supervision either.
UPDATE jobs
SET max_attempts = CASE :outcome WHEN 'RESUBMIT' THEN max_attempts + 1
                                 WHEN 'UNCOVERED' THEN max_attempts
                                 ELSE attempt END,
    resource_overrides = CAST(:overrides AS jsonb),
    walltime = make_interval(secs => :walltime_seconds),
    partition = :partition,
    recoveries = CAST(:recoveries AS jsonb),
    recovery = :note,
    recovery_final = (:outcome = 'FAIL')
WHERE id = :id AND state IN ('failed', 'lost')
