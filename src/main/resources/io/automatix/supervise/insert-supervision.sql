-- Once per incident: a second router (or sweep) seeing the same one inserts nothing.
INSERT INTO supervisions (job_id, run_id, trigger, attempt, level, dispatch_status, dispatch_error, detail)
VALUES (:job_id, :run_id, :trigger, :attempt, :level, :status, :error, :detail)
ON CONFLICT (job_id, trigger, attempt) DO NOTHING
RETURNING id
