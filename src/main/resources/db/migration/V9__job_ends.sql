-- Why a job ended, as a person reads it, with the scheduler's facts behind it (from its accounting,
-- its queue, or the job's own status file): the reason (see JobEnd.Reason), a sentence saying it,
-- the scheduler's final state, the signal that ended it, its elapsed time, the most memory it used
-- and where it ran. A retry clears them for the next attempt (the attempt's note keeps the words).
ALTER TABLE jobs
    ADD COLUMN end_reason      text,
    ADD COLUMN end_detail      text,
    ADD COLUMN scheduler_state text,
    ADD COLUMN exit_signal     integer,
    ADD COLUMN elapsed_seconds bigint,
    ADD COLUMN max_rss_bytes   bigint,
    ADD COLUMN node            text;

-- A job's events also say why an attempt ended, and what it asked for and used.
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
                    'partition', CASE WHEN NEW.state = 'queued' THEN NEW.partition END,
                    'walltime_seconds', CASE WHEN NEW.state = 'queued' THEN extract(epoch FROM NEW.walltime)::bigint END))
                || coalesce(nullif(current_setting('automatix.detail', true), ''), '{}')::jsonb);
    END IF;
    RETURN NULL;
END $$;
