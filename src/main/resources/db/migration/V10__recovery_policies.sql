-- Recovery by policy: a run's job carries its step's on_failure as planned (what to do per reason it
-- ends for), the resources of its next attempt that differ from its step's (more memory), how many
-- retries each rule has granted (and the requeues, which share one count), and what the policy
-- decided on its last end. recovery_final: the policy failed it for good, so supervision leaves it.
ALTER TABLE jobs
    ADD COLUMN recovery_policy    jsonb,
    ADD COLUMN resource_overrides jsonb NOT NULL DEFAULT '{}'::jsonb,
    ADD COLUMN recoveries         jsonb NOT NULL DEFAULT '{}'::jsonb,
    ADD COLUMN recovery           text,
    ADD COLUMN recovery_final     boolean NOT NULL DEFAULT false;

-- A job's events also say what its policy decided, and what each attempt is submitted with (its
-- walltime, partition and changed resources). A decision that leaves the state as it was (fail at
-- once, retries spent) is an event of its own, job.recovery. The events also say why an attempt
-- ended (V9's columns).
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
                                      THEN NEW.resource_overrides END))
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
