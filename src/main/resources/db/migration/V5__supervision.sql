-- Supervision: one row per incident, an incident being a job's attempt that failed, got lost or ran
-- late (so two routers, or two sweeps, seeing the same incident make one row). A supervision that
-- resubmits the job links the new attempt by its scheduler job name and follows its outcome.
DROP INDEX supervisions_one_open_incident;
ALTER TABLE supervisions
    ADD COLUMN attempt          integer NOT NULL DEFAULT 1,
    ADD COLUMN level            integer NOT NULL DEFAULT 2 CHECK (level IN (1, 2)),
    ADD COLUMN linked_job_name  text,
    ADD COLUMN next_dispatch_at timestamptz,
    ADD COLUMN claimed_by       text,
    ADD COLUMN claimed_at       timestamptz;
ALTER TABLE supervisions ADD CONSTRAINT supervisions_once_per_incident UNIQUE (job_id, trigger, attempt);
CREATE INDEX supervisions_run ON supervisions (run_id, created_at);
CREATE INDEX supervisions_linked ON supervisions (linked_job_name) WHERE linked_job_name IS NOT NULL;

-- The outcome of a resubmission follows the job it made, whoever applies the job's status.
CREATE FUNCTION supervision_execution() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE supervisions
    SET execution_status = CASE NEW.state
                               WHEN 'running' THEN 'running'
                               WHEN 'succeeded' THEN 'succeeded'
                               ELSE 'failed'
                           END,
        finished_at = CASE WHEN NEW.state IN ('succeeded', 'failed', 'lost', 'cancelled') THEN now() END
    WHERE linked_job_name = NEW.scheduler_job_name
      AND execution_status IN ('pending', 'running');
    RETURN NULL;
END $$;
CREATE TRIGGER jobs_supervision_execution AFTER UPDATE OF state ON jobs
    FOR EACH ROW WHEN (NEW.state IN ('running', 'succeeded', 'failed', 'lost', 'cancelled')
                       AND OLD.state IS DISTINCT FROM NEW.state)
    EXECUTE FUNCTION supervision_execution();

-- A step may say how long its job is expected to run (shorter than the walltime limit): a job
-- running past it, plus a grace, is late.
ALTER TABLE jobs ADD COLUMN expected interval;
