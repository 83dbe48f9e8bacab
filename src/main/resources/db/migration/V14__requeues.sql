-- A job the batch system requeued under its id (scontrol requeue, a preemption or a node failure
-- with requeue) goes on: it is queued again, and these say how often its attempts were requeued,
-- the last requeue's words and the end of the run it stopped (a report of that run's end, such as
-- its pushed failure arriving late, is then of a run that goes on, and changes nothing).
ALTER TABLE jobs
    ADD COLUMN requeues    integer NOT NULL DEFAULT 0 CHECK (requeues >= 0),
    ADD COLUMN requeued    text,
    ADD COLUMN requeued_at timestamptz;

-- Each requeue is an event of its own, job.requeued, beside the job.queued of its state: a trigger of
-- its own, so that jobs_audit (which later migrations may replace) stays as it is.
CREATE FUNCTION jobs_requeued() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO events (actor, entity, entity_id, entity_name, type, from_state, to_state, detail)
    VALUES (current_actor(), 'job', NEW.id, NEW.scheduler_job_name, 'job.requeued', NEW.state, NEW.state,
            jsonb_strip_nulls(jsonb_build_object(
                'run_id', NEW.run_id, 'session_id', NEW.session_id, 'step', NEW.step, 'attempt', NEW.attempt,
                'cluster', NEW.cluster, 'scheduler_job_id', NEW.scheduler_job_id, 'requeues', NEW.requeues,
                'requeued', NEW.requeued, 'requeued_at', NEW.requeued_at)));
    RETURN NULL;
END $$;
CREATE TRIGGER jobs_requeued AFTER UPDATE OF requeues ON jobs
    FOR EACH ROW WHEN (NEW.requeues > OLD.requeues) EXECUTE FUNCTION jobs_requeued();
