-- dispatched, failed (the script failed) or escalated (the cluster could not be reached in time).
UPDATE supervisions
SET dispatch_status = :status, dispatch_error = :error, claimed_by = NULL, claimed_at = NULL,
    dispatched_at = CASE WHEN CAST(:status AS text) = 'dispatched' THEN now() ELSE dispatched_at END,
    linked_job_id = CASE WHEN CAST(:linked_job_name AS text) IS NOT NULL THEN job_id END,
    linked_job_name = :linked_job_name,
    execution_status = CASE WHEN CAST(:linked_job_name AS text) IS NOT NULL THEN 'pending' END
WHERE id = :id AND claimed_by = :router AND dispatch_status = 'dispatching'
