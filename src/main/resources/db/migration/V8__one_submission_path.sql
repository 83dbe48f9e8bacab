-- One submission path for the jobs of runs and of workflow steps: a step creates its jobs 'pending'
-- with everything the job engine needs to submit them, and the engine claims, renders, submits and
-- records them as it does a run's (the cluster's cap, submit batches, back-off, look-up before a
-- second submission, retries, supervision).
--   kind         'run' (rendered from its pipeline step's template) or 'step' (a workflow step's)
--   command      a step's command as an argument list (null: it has a template)
--   template     a step's template, rendered in the job wrapper with template_model
--   environment  what a step's job is told (session, directories, services, SBATCH_* for commands)
--   workdir      where a step's command runs
--   array_name   the jobs of one parametric step share it: submitted as one job array of array_size
--                tasks where the scheduler has arrays and the cluster's cap leaves room for it all
--   first_name   the name of the first attempt (later attempts are named after it)
--   awaiting_supervision  failed for good on an automatically supervised cluster: its supervision
--                may still resubmit it (a run waits for it; so does a step)
ALTER TABLE jobs
    ADD COLUMN kind                 text NOT NULL DEFAULT 'run' CHECK (kind IN ('run', 'step')),
    ADD COLUMN command              text[],
    ADD COLUMN template             text,
    ADD COLUMN template_model       jsonb,
    ADD COLUMN environment          jsonb,
    ADD COLUMN workdir              text,
    ADD COLUMN array_name           text,
    ADD COLUMN array_size           integer CHECK (array_size > 0),
    ADD COLUMN first_name           text,
    ADD COLUMN awaiting_supervision boolean NOT NULL DEFAULT false;
ALTER TABLE jobs ADD CONSTRAINT jobs_kind_owner CHECK ((kind = 'run') = (run_id IS NOT NULL));
ALTER TABLE jobs ADD CONSTRAINT jobs_step_has_work
    CHECK (kind = 'run' OR command IS NOT NULL OR template IS NOT NULL);
CREATE INDEX jobs_array ON jobs (array_name) WHERE array_name IS NOT NULL;

-- Step jobs made before this migration were submitted by the session driver itself and hold no
-- command or template: those in the scheduler are still watched; those it had not submitted (or
-- whose submission's outcome was unknown) cannot be submitted by the engine and end here, so their
-- step ends too and can be run again.
UPDATE jobs SET kind = 'step', template = '' WHERE run_id IS NULL;
UPDATE jobs
SET state = 'failed', finished_at = now(), claimed_by = NULL, claimed_at = NULL,
    last_error = 'not submitted when Automatix was upgraded to one submission path; run the step again'
WHERE run_id IS NULL AND state IN ('pending', 'submitting');

-- The scheduler job name of a job's attempt: a run's as job_name() writes it, a step's after the
-- name of its first attempt (wf-<session>.<step>.<instance>[_<task>], then ...-a2, -a3).
CREATE FUNCTION job_attempt_name(run_name text, step text, first_name text, attempt integer) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN run_name IS NOT NULL THEN job_name(run_name, step, attempt)
                WHEN attempt = 1 THEN first_name
                ELSE first_name || '-a' || attempt END $$;
