SELECT id, scheduler_job_name AS name, scheduler_job_id AS job_id, state, exit_code, parameter, parameter_index,
       last_error, directory
FROM jobs WHERE step_id = :step_id ORDER BY parameter_index NULLS FIRST, id
