INSERT INTO jobs (run_id, step, cluster, scheduler_job_name, partition, walltime, expected, max_attempts,
                  recovery_policy)
VALUES (:run_id, :step, :cluster, job_name(:run_name, :step, 1), :partition,
        make_interval(secs => :walltime_seconds), make_interval(secs => CAST(:expected_seconds AS bigint)), :max_attempts,
        CAST(:recovery_policy AS jsonb))
RETURNING id
