-- How many supervisions the job has had, and its run within the period. Stuck incidents only tell
-- operators (no recovery runs), so they count against neither limit.
SELECT (SELECT count(*) FROM supervisions WHERE job_id = :job_id AND trigger <> 'stuck') AS for_job,
       (SELECT count(*) FROM supervisions
        WHERE run_id = CAST(:run_id AS bigint) AND trigger <> 'stuck'
          AND created_at > now() - make_interval(secs => :period_seconds)) AS for_run
