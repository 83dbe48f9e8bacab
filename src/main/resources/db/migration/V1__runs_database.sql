-- The runs database: the single truth about every run, job, supervision, archive bundle and
-- workflow session. Every status column is checked; every status change writes an event row
-- (by trigger, so that writers outside Automatix, such as the acquisition system inserting a run,
-- are recorded too). The events table doubles as the transactional outbox for automatix.events.

-- Run, pipeline, step and cluster names reach file paths and remote commands: a closed alphabet,
-- never starting with '.' or '-' (no '..', no option injection).
CREATE DOMAIN entity_name AS text
    CHECK (VALUE ~ '^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$');

CREATE TABLE runs (
    id               bigserial PRIMARY KEY,
    name             entity_name NOT NULL UNIQUE,
    source_host      text,
    source_path      text,
    raw_status       text NOT NULL DEFAULT 'acquired'
        CHECK (raw_status IN ('acquired', 'transferring', 'ondeck', 'compressed', 'archived',
                              'transfer_failed', 'compress_failed', 'archive_failed')),
    raw_location     text,
    processed_status text NOT NULL DEFAULT 'none'
        CHECK (processed_status IN ('none', 'queued', 'processing', 'processed', 'failed')),
    pipeline         entity_name,
    cluster          entity_name,
    metadata         jsonb NOT NULL DEFAULT '{}'::jsonb,
    attempts         integer NOT NULL DEFAULT 0,
    last_error       text,
    claimed_by       text,
    claimed_at       timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX runs_raw_status ON runs (raw_status);
CREATE INDEX runs_processed_status ON runs (processed_status);

CREATE TABLE workflow_sessions (
    id            bigserial PRIMARY KEY,
    name          entity_name NOT NULL,
    owner         text NOT NULL,
    workflow_file text NOT NULL,
    variables     jsonb NOT NULL DEFAULT '{}'::jsonb,
    status        text NOT NULL DEFAULT 'starting'
        CHECK (status IN ('starting', 'active', 'stopping', 'stopped', 'failed')),
    last_error    text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (owner, name)
);

CREATE TABLE jobs (
    id                 bigserial PRIMARY KEY,
    run_id             bigint REFERENCES runs (id),
    session_id         bigint REFERENCES workflow_sessions (id),
    step               entity_name NOT NULL,
    cluster            entity_name NOT NULL,
    scheduler_job_id   text,
    scheduler_job_name text NOT NULL UNIQUE,
    state              text NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'submitting', 'queued', 'running',
                         'succeeded', 'failed', 'cancelled', 'lost')),
    exit_code          integer,
    attempt            integer NOT NULL DEFAULT 1,
    partition          text,
    walltime           interval,
    last_error         text,
    submitted_at       timestamptz,
    started_at         timestamptz,
    finished_at        timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CHECK ((run_id IS NULL) <> (session_id IS NULL)),
    UNIQUE (run_id, step, attempt),
    UNIQUE (session_id, step, attempt)
);
CREATE INDEX jobs_active ON jobs (cluster, state)
    WHERE state IN ('submitting', 'queued', 'running');

CREATE TABLE job_dependencies (
    job_id        bigint NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    parent_job_id bigint NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    PRIMARY KEY (job_id, parent_job_id),
    CHECK (job_id <> parent_job_id)
);
CREATE INDEX job_dependencies_parent ON job_dependencies (parent_job_id);

CREATE TABLE supervisions (
    id                bigserial PRIMARY KEY,
    job_id            bigint NOT NULL REFERENCES jobs (id),
    run_id            bigint REFERENCES runs (id),
    trigger           text NOT NULL CHECK (trigger IN ('failed', 'late', 'lost')),
    script            text,
    encoding          text NOT NULL DEFAULT 'base64' CHECK (encoding IN ('base64')),
    dispatch_status   text NOT NULL DEFAULT 'pending'
        CHECK (dispatch_status IN ('pending', 'formatted', 'notified', 'dispatching',
                                   'dispatched', 'failed', 'escalated')),
    dispatch_error    text,
    dispatch_attempts integer NOT NULL DEFAULT 0,
    execution_status  text
        CHECK (execution_status IN ('pending', 'running', 'succeeded', 'failed')),
    linked_job_id     bigint REFERENCES jobs (id),
    created_at        timestamptz NOT NULL DEFAULT now(),
    dispatched_at     timestamptz,
    finished_at       timestamptz,
    updated_at        timestamptz NOT NULL DEFAULT now()
);
-- Once per incident: a job has at most one open supervision per trigger and attempt.
CREATE UNIQUE INDEX supervisions_one_open_incident ON supervisions (job_id, trigger)
    WHERE dispatch_status NOT IN ('dispatched', 'failed', 'escalated', 'notified');

CREATE TABLE archive_bundles (
    id          bigserial PRIMARY KEY,
    bucket      text NOT NULL,
    key         text NOT NULL,
    size_bytes  bigint,
    checksum    text,
    manifest    jsonb,
    status      text NOT NULL DEFAULT 'building'
        CHECK (status IN ('building', 'uploading', 'verified', 'failed')),
    last_error  text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    verified_at timestamptz,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (bucket, key)
);

CREATE TABLE archive_members (
    bundle_id  bigint NOT NULL REFERENCES archive_bundles (id) ON DELETE CASCADE,
    run_id     bigint NOT NULL REFERENCES runs (id),
    size_bytes bigint,
    checksum   text,
    PRIMARY KEY (bundle_id, run_id)
);

-- Append-only audit of every transition, and the outbox of automatix.events:
-- published_at is set once the broker confirmed the event.
CREATE TABLE events (
    id           bigserial PRIMARY KEY,
    at           timestamptz NOT NULL DEFAULT now(),
    actor        text NOT NULL,
    entity       text NOT NULL CHECK (entity IN ('run', 'job', 'supervision', 'bundle', 'session')),
    entity_id    bigint NOT NULL,
    entity_name  text,
    type         text NOT NULL,
    from_state   text,
    to_state     text,
    detail       jsonb NOT NULL DEFAULT '{}'::jsonb,
    published_at timestamptz,
    claimed_by   text,
    claimed_at   timestamptz
);
CREATE INDEX events_entity ON events (entity, entity_id);
CREATE INDEX events_unpublished ON events (id) WHERE published_at IS NULL;

-- Who made a change: Automatix sets automatix.actor for its transaction (set_config(..., true));
-- any other writer is recorded as its database user.
CREATE FUNCTION current_actor() RETURNS text LANGUAGE sql STABLE AS $$
    SELECT coalesce(nullif(current_setting('automatix.actor', true), ''), session_user::text)
$$;

CREATE FUNCTION record_event(p_entity text, p_id bigint, p_name text, p_type text,
                             p_from text, p_to text) RETURNS void LANGUAGE sql AS $$
    INSERT INTO events (actor, entity, entity_id, entity_name, type, from_state, to_state, detail)
    VALUES (current_actor(), p_entity, p_id, p_name, p_type, p_from, p_to,
            coalesce(nullif(current_setting('automatix.detail', true), ''), '{}')::jsonb)
$$;

CREATE FUNCTION runs_audit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM record_event('run', NEW.id, NEW.name, 'run.' || NEW.raw_status, NULL, NEW.raw_status);
    ELSE
        IF NEW.raw_status IS DISTINCT FROM OLD.raw_status THEN
            PERFORM record_event('run', NEW.id, NEW.name, 'run.' || NEW.raw_status,
                                 OLD.raw_status, NEW.raw_status);
        END IF;
        IF NEW.processed_status IS DISTINCT FROM OLD.processed_status THEN
            PERFORM record_event('run', NEW.id, NEW.name, 'run.processing.' || NEW.processed_status,
                                 OLD.processed_status, NEW.processed_status);
        END IF;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER runs_audit AFTER INSERT OR UPDATE ON runs
    FOR EACH ROW EXECUTE FUNCTION runs_audit();

CREATE FUNCTION state_audit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    entity  text := TG_ARGV[0];
    old_s   text := CASE WHEN TG_OP = 'UPDATE' THEN to_jsonb(OLD) ->> TG_ARGV[1] END;
    new_s   text := to_jsonb(NEW) ->> TG_ARGV[1];
    label   text := coalesce(to_jsonb(NEW) ->> TG_ARGV[2], NEW.id::text);
BEGIN
    IF TG_OP = 'INSERT' OR new_s IS DISTINCT FROM old_s THEN
        PERFORM record_event(entity, NEW.id, label, entity || '.' || new_s, old_s, new_s);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER jobs_audit AFTER INSERT OR UPDATE ON jobs
    FOR EACH ROW EXECUTE FUNCTION state_audit('job', 'state', 'scheduler_job_name');
CREATE TRIGGER supervisions_audit AFTER INSERT OR UPDATE ON supervisions
    FOR EACH ROW EXECUTE FUNCTION state_audit('supervision', 'dispatch_status', 'trigger');
CREATE TRIGGER bundles_audit AFTER INSERT OR UPDATE ON archive_bundles
    FOR EACH ROW EXECUTE FUNCTION state_audit('bundle', 'status', 'key');
CREATE TRIGGER sessions_audit AFTER INSERT OR UPDATE ON workflow_sessions
    FOR EACH ROW EXECUTE FUNCTION state_audit('session', 'status', 'name');

-- updated_at follows every change, whoever makes it.
CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END $$;
CREATE TRIGGER runs_touch BEFORE UPDATE ON runs FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
CREATE TRIGGER jobs_touch BEFORE UPDATE ON jobs FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
CREATE TRIGGER supervisions_touch BEFORE UPDATE ON supervisions FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
CREATE TRIGGER bundles_touch BEFORE UPDATE ON archive_bundles FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
CREATE TRIGGER sessions_touch BEFORE UPDATE ON workflow_sessions FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
