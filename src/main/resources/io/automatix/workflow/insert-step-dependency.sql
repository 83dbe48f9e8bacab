INSERT INTO job_dependencies (job_id, parent_job_id) VALUES (:job_id, :parent_job_id) ON CONFLICT DO NOTHING
