-- A step's jobs; settled: nothing more will happen to it (succeeded, cancelled, or failed with its
-- attempts spent and no supervision that may still resubmit it).
SELECT id, scheduler_job_name AS name, scheduler_job_id AS job_id, state, exit_code, parameter, parameter_index,
       last_error, directory,
       state IN ('succeeded', 'cancelled')
           OR (state IN ('failed', 'lost') AND attempt >= max_attempts AND NOT awaiting_supervision) AS settled
FROM jobs WHERE step_id = :step_id ORDER BY parameter_index NULLS FIRST, id
