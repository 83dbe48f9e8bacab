-- The job engine: jobs are claimed for submission like runs for transfer (a lease, so that a router
-- that died between 'submitting' and recording the scheduler's id is taken over, and the new owner
-- looks the job up by its name before it submits again); refusals by the scheduler postpone a job
-- (next_attempt_at) without spending an attempt.
ALTER TABLE jobs
    ADD COLUMN max_attempts    integer NOT NULL DEFAULT 1 CHECK (max_attempts >= 1),
    ADD COLUMN claimed_by      text,
    ADD COLUMN claimed_at      timestamptz,
    ADD COLUMN next_attempt_at timestamptz,
    ADD COLUMN note            text;
ALTER TABLE jobs ADD CONSTRAINT jobs_attempt_within_limit CHECK (attempt <= max_attempts);

CREATE INDEX jobs_pending ON jobs (cluster, id) WHERE state = 'pending';
CREATE INDEX jobs_run ON jobs (run_id);

-- One scheduler poll per cluster per interval, whichever router takes it. The interval grows while
-- nothing changes and drops back to its minimum when something does.
CREATE TABLE cluster_polls (
    cluster      entity_name PRIMARY KEY,
    next_poll_at timestamptz NOT NULL DEFAULT now(),
    interval_ms  integer NOT NULL,
    polled_by    text,
    polled_at    timestamptz,
    polls        bigint NOT NULL DEFAULT 0
);

-- The scheduler job name of a run's step and attempt: deterministic, so that a job submitted by a
-- router that died before recording it is found again by name.
CREATE FUNCTION job_name(run_name text, step text, attempt integer) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$ SELECT run_name || '.' || step || '.' || attempt $$;

-- A job's events carry what an operator (or an invariant check) needs about the attempt: its run,
-- step, attempt, scheduler id, exit code and error. Each attempt's events are under its own name.
CREATE FUNCTION jobs_audit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.state IS DISTINCT FROM OLD.state THEN
        INSERT INTO events (actor, entity, entity_id, entity_name, type, from_state, to_state, detail)
        VALUES (current_actor(), 'job', NEW.id, NEW.scheduler_job_name, 'job.' || NEW.state,
                CASE WHEN TG_OP = 'UPDATE' THEN OLD.state END, NEW.state,
                jsonb_strip_nulls(jsonb_build_object(
                    'run_id', NEW.run_id, 'session_id', NEW.session_id, 'step', NEW.step,
                    'attempt', NEW.attempt, 'cluster', NEW.cluster, 'scheduler_job_id', NEW.scheduler_job_id,
                    'exit_code', NEW.exit_code,
                    'error', CASE WHEN NEW.state IN ('failed', 'lost') THEN NEW.last_error END))
                || coalesce(nullif(current_setting('automatix.detail', true), ''), '{}')::jsonb);
    END IF;
    RETURN NULL;
END $$;
DROP TRIGGER jobs_audit ON jobs;
CREATE TRIGGER jobs_audit AFTER INSERT OR UPDATE ON jobs FOR EACH ROW EXECUTE FUNCTION jobs_audit();
