-- Refusals that don't loop forever. A job the scheduler refuses (a QOS or submit limit, a busy
-- controller) waits as pending and is tried again; these say how often its current attempt was
-- refused (refusals with an unknown outcome do not count), since when, and the scheduler's last
-- words. Submitting the job, retrying, reprocessing, resubmitting or cancelling it clears them.
ALTER TABLE jobs
    ADD COLUMN refusals      integer NOT NULL DEFAULT 0 CHECK (refusals >= 0),
    ADD COLUMN refused_since timestamptz,
    ADD COLUMN refusal       text;

-- A job refused too often, or for too long, is a stuck incident: a supervision with the trigger
-- stuck that only tells operators (it has no recovery script: a person fixes the request or raises
-- the limit), carrying the scheduler's words in detail. It stays open while the job waits and is
-- closed (closed_at, closed_as) when the job leaves pending: submitted at last, or cancelled.
ALTER TABLE supervisions DROP CONSTRAINT supervisions_trigger_check;
ALTER TABLE supervisions
    ADD CONSTRAINT supervisions_trigger_check CHECK (trigger IN ('failed', 'late', 'lost', 'stuck')),
    ADD COLUMN detail    text,
    ADD COLUMN closed_at timestamptz,
    ADD COLUMN closed_as text;

-- Closes the job's open stuck incident, whoever moves the job on (the submitter, a run's or a
-- step's cancellation), with an event saying how it closed (no state of the supervision's changes:
-- its dispatch_status stays notified, so the event carries no from/to state).
CREATE FUNCTION stuck_supervision_closes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    s record;
BEGIN
    FOR s IN
        UPDATE supervisions
        SET closed_at = now(),
            closed_as = CASE WHEN NEW.state IN ('queued', 'running', 'succeeded') THEN 'submitted' ELSE NEW.state END
        WHERE job_id = NEW.id AND trigger = 'stuck' AND closed_at IS NULL
        RETURNING id, closed_as
    LOOP
        INSERT INTO events (actor, entity, entity_id, entity_name, type, detail)
        VALUES (current_actor(), 'supervision', s.id, 'stuck', 'supervision.closed',
                jsonb_build_object('job_id', NEW.id, 'job', NEW.scheduler_job_name, 'closed_as', s.closed_as));
    END LOOP;
    RETURN NULL;
END $$;
CREATE TRIGGER jobs_stuck_supervision_closes AFTER UPDATE OF state ON jobs
    FOR EACH ROW WHEN (OLD.state IN ('pending', 'submitting') AND NEW.state NOT IN ('pending', 'submitting'))
    EXECUTE FUNCTION stuck_supervision_closes();

-- A refused job's events say how often it was refused and in what words (V10's function, plus
-- refusals and refusal on its pending events).
CREATE OR REPLACE FUNCTION jobs_audit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.state IS DISTINCT FROM OLD.state THEN
        INSERT INTO events (actor, entity, entity_id, entity_name, type, from_state, to_state, detail)
        VALUES (current_actor(), 'job', NEW.id, NEW.scheduler_job_name, 'job.' || NEW.state,
                CASE WHEN TG_OP = 'UPDATE' THEN OLD.state END, NEW.state,
                jsonb_strip_nulls(jsonb_build_object(
                    'run_id', NEW.run_id, 'session_id', NEW.session_id, 'step', NEW.step,
                    'attempt', NEW.attempt, 'cluster', NEW.cluster, 'scheduler_job_id', NEW.scheduler_job_id,
                    'exit_code', NEW.exit_code,
                    'error', CASE WHEN NEW.state IN ('failed', 'lost') THEN NEW.last_error END,
                    'reason', NEW.end_reason, 'scheduler_state', NEW.scheduler_state, 'signal', NEW.exit_signal,
                    'elapsed_seconds', NEW.elapsed_seconds, 'max_rss_bytes', NEW.max_rss_bytes, 'node', NEW.node,
                    'recovery', CASE WHEN NEW.state = 'pending' THEN NEW.recovery END,
                    'partition', CASE WHEN NEW.state IN ('pending', 'queued') THEN NEW.partition END,
                    'walltime_seconds', CASE WHEN NEW.state IN ('pending', 'queued')
                                             THEN extract(epoch FROM NEW.walltime)::bigint END,
                    'resources', CASE WHEN NEW.state IN ('pending', 'queued') AND NEW.resource_overrides <> '{}'
                                      THEN NEW.resource_overrides END,
                    'refusals', CASE WHEN NEW.state = 'pending' AND NEW.refusals > 0 THEN NEW.refusals END,
                    'refusal', CASE WHEN NEW.state = 'pending' AND NEW.refusals > 0 THEN NEW.refusal END))
                || coalesce(nullif(current_setting('automatix.detail', true), ''), '{}')::jsonb);
    ELSIF NEW.recovery IS DISTINCT FROM OLD.recovery AND NEW.recovery IS NOT NULL AND NEW.attempt >= NEW.max_attempts THEN
        INSERT INTO events (actor, entity, entity_id, entity_name, type, from_state, to_state, detail)
        VALUES (current_actor(), 'job', NEW.id, NEW.scheduler_job_name, 'job.recovery', NEW.state, NEW.state,
                jsonb_strip_nulls(jsonb_build_object(
                    'run_id', NEW.run_id, 'step', NEW.step, 'attempt', NEW.attempt, 'cluster', NEW.cluster,
                    'reason', NEW.end_reason, 'exit_code', NEW.exit_code, 'recovery', NEW.recovery,
                    'final', NEW.recovery_final)));
    END IF;
    RETURN NULL;
END $$;
