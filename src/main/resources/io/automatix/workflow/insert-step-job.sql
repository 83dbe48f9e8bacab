-- A step's job is claimed by its router from the start ('submitting' before the scheduler hears of
-- it, so that a router that dies in between is followed by a lookup, not a second submission).
INSERT INTO jobs (session_id, step_id, step, cluster, scheduler_job_name, partition, walltime, directory,
                  parameter, parameter_index, state, claimed_by, claimed_at)
VALUES (:session_id, :step_id, :step, :cluster, :name, :partition, make_interval(secs => :walltime_seconds),
        :directory, :parameter, :parameter_index, 'submitting', :router, now())
ON CONFLICT (scheduler_job_name) DO NOTHING
