SELECT step_id, scheduler_job_name AS name, scheduler_job_id AS job_id, state, exit_code, parameter,
       parameter_index, last_error, submitted_at, started_at, finished_at
FROM jobs WHERE session_id = :session_id ORDER BY step_id, parameter_index NULLS FIRST, id
