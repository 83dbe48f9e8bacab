-- A step's job, pending: the job engine claims, renders, submits and records it as it does a run's.
-- Its name is fixed before the scheduler hears of it, so a router that dies after creating it (or
-- after submitting it) is followed by a look-up, not a second job.
INSERT INTO jobs (kind, session_id, step_id, step, cluster, scheduler_job_name, first_name, partition, walltime,
                  max_attempts, directory, workdir, command, template, template_model, environment,
                  parameter, parameter_index, array_name, array_size, array_index, array_throttle)
VALUES ('step', :session_id, :step_id, :step, :cluster, :name, :name, :partition,
        make_interval(secs => :walltime_seconds), :max_attempts, :directory, :workdir, CAST(:command AS text[]),
        :template, CAST(:template_model AS jsonb), CAST(:environment AS jsonb), :parameter, :parameter_index,
        :array_name, :array_size, :array_index, :array_throttle)
ON CONFLICT (scheduler_job_name) DO NOTHING
RETURNING id
