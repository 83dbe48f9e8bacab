-- Claims the jobs of one cluster that are ready to submit, as many as its cap on jobs in flight
-- leaves room for (the caller holds the cluster's advisory lock, so the count stays true, and no
-- other router claims here meanwhile; each row is checked again as it is updated):
--   pending jobs whose parents all succeeded (the DAG join, for every run and step at once), when due;
--   submitting jobs whose outcome is unknown (claim released or lease run out): looked up first.
-- The jobs of a job array (one parametric step) are one unit, claimed whole or not at all, and count
-- as one submission of the batch but as all their tasks against the cap; an array larger than the
-- cap, or on a scheduler without arrays (:arrays false), is submitted task by task. Units go oldest first: one that does not fit yet waits for room
-- rather than being passed by later ones.
WITH ready AS (
    SELECT c.id, c.state AS was, r.name AS run_name, r.pipeline, r.metadata::text AS metadata, r.raw_location,
           c.array_name, c.array_size,
           CASE WHEN :arrays AND c.array_name IS NOT NULL AND c.array_size <= :max_jobs THEN c.array_name
                ELSE c.scheduler_job_name END AS unit
    FROM jobs c
    LEFT JOIN runs r ON r.id = c.run_id
    WHERE c.cluster = :cluster
      AND (c.next_attempt_at IS NULL OR c.next_attempt_at <= now())
      AND ((c.state = 'pending'
            AND NOT EXISTS (SELECT 1
                            FROM job_dependencies d
                            JOIN jobs p ON p.id = d.parent_job_id
                            WHERE d.job_id = c.id AND p.state <> 'succeeded'))
        OR (c.state = 'submitting'
            AND (c.claimed_by IS NULL OR c.claimed_at < now() - make_interval(secs => :lease_seconds))))
), units AS (
    SELECT unit, min(id) AS first, count(*) AS tasks, bool_or(was = 'submitting') AS recovering,
           max(array_size) FILTER (WHERE array_name = unit) AS array_size
    FROM ready
    GROUP BY unit
), chosen AS (
    SELECT unit
    FROM (SELECT unit,
                 sum(tasks) OVER (ORDER BY first) AS jobs_total,
                 row_number() OVER (ORDER BY first) AS submissions
          FROM units
          -- a pending array waits until all its tasks are ready (they are created together)
          WHERE recovering OR array_size IS NULL OR tasks >= array_size) u
    WHERE submissions <= :batch
      AND jobs_total <= :max_jobs - (SELECT count(*)
                                     FROM jobs a
                                     WHERE a.cluster = :cluster AND a.state IN ('queued', 'running'))
                                  - (SELECT count(*)
                                     FROM jobs a
                                     WHERE a.cluster = :cluster AND a.state = 'submitting'
                                       AND a.claimed_by IS NOT NULL
                                       AND a.claimed_at >= now() - make_interval(secs => :lease_seconds))
)
UPDATE jobs j
SET state = 'submitting', claimed_by = :router, claimed_at = now(), note = NULL
FROM ready
JOIN chosen USING (unit)
WHERE j.id = ready.id
  AND (j.state = 'pending'
       OR (j.state = 'submitting'
           AND (j.claimed_by IS NULL OR j.claimed_at < now() - make_interval(secs => :lease_seconds))))
RETURNING j.id, j.kind, j.run_id, j.step, j.cluster, j.scheduler_job_name, j.attempt, j.partition,
          extract(epoch FROM j.walltime)::bigint AS walltime_seconds, ready.was, ready.run_name, ready.pipeline,
          ready.metadata, ready.raw_location, j.directory, j.command, j.template,
          j.template_model::text AS template_model, j.environment::text AS environment, j.workdir,
          CASE WHEN ready.unit = j.array_name THEN j.array_name END AS array_name, j.array_size,
          coalesce(j.array_index, 0) AS array_index, coalesce(j.array_throttle, 0) AS array_throttle,
          j.parameter, j.parameter_index, j.resource_overrides::text AS resource_overrides
