-- Workflow sessions (IOSEA's workflow manager on the job engine): a session is a WDF started by an
-- owner; its services are allocated at start and torn down at stop; each 'run' of a step is a step
-- row whose jobs are ordinary rows of the jobs table (one per parameter value), monitored by the same
-- polls and pushed reports as the jobs of runs; data movers record their progress per movement.

-- A name may be used again once its session has stopped; the file is kept as it was started.
ALTER TABLE workflow_sessions DROP CONSTRAINT workflow_sessions_owner_name_key;
CREATE UNIQUE INDEX workflow_sessions_live_name ON workflow_sessions (owner, name)
    WHERE status NOT IN ('stopped', 'failed');
ALTER TABLE workflow_sessions
    ADD COLUMN wdf          text,
    ADD COLUMN cluster      entity_name,
    ADD COLUMN directory    text,
    ADD COLUMN shared_with  text[] NOT NULL DEFAULT '{}',
    ADD COLUMN share_token_sha256 text,
    ADD COLUMN force_stop   boolean NOT NULL DEFAULT false,
    ADD COLUMN claimed_by   text,
    ADD COLUMN claimed_at   timestamptz,
    ADD COLUMN stopped_at   timestamptz;

CREATE TABLE session_services (
    id          bigserial PRIMARY KEY,
    session_id  bigint NOT NULL REFERENCES workflow_sessions (id),
    name        entity_name NOT NULL,
    type        text NOT NULL,
    namespace   text,
    flavor      text,
    status      text NOT NULL DEFAULT 'waiting'
        CHECK (status IN ('waiting', 'allocated', 'stopped', 'failed')),
    connection  jsonb NOT NULL DEFAULT '{}'::jsonb,
    last_error  text,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (session_id, name)
);

-- Step states are IOSEA's (starting, running, stopping, stopped); how a stopped step ended is its
-- outcome. A step is driven by one router at a time (claimed_by, with a lease).
CREATE TABLE session_steps (
    id               bigserial PRIMARY KEY,
    session_id       bigint NOT NULL REFERENCES workflow_sessions (id),
    step             entity_name NOT NULL,
    instance         integer NOT NULL,
    status           text NOT NULL DEFAULT 'starting'
        CHECK (status IN ('starting', 'running', 'stopping', 'stopped')),
    outcome          text CHECK (outcome IN ('succeeded', 'failed', 'cancelled')),
    variables        jsonb NOT NULL DEFAULT '{}'::jsonb,
    requested_by     text NOT NULL,
    cancel_requested boolean NOT NULL DEFAULT false,
    next_check_at    timestamptz NOT NULL DEFAULT now(),
    last_error       text,
    claimed_by       text,
    claimed_at       timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    started_at       timestamptz,
    finished_at      timestamptz,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (session_id, step, instance),
    CHECK ((status = 'stopped') = (outcome IS NOT NULL))
);
CREATE INDEX session_steps_live ON session_steps (session_id) WHERE status <> 'stopped';

CREATE TABLE data_movements (
    id          bigserial PRIMARY KEY,
    step_id     bigint NOT NULL REFERENCES session_steps (id),
    datamover   entity_name NOT NULL,
    service     entity_name NOT NULL,
    trigger     text NOT NULL CHECK (trigger IN ('step_start', 'step_stop')),
    operation   text NOT NULL CHECK (operation IN ('copy', 'move')),
    target      text NOT NULL,
    status      text NOT NULL DEFAULT 'running'
        CHECK (status IN ('running', 'done', 'failed', 'cancelled')),
    files_total integer,
    files_done  integer NOT NULL DEFAULT 0,
    bytes_total bigint,
    bytes_done  bigint NOT NULL DEFAULT 0,
    location    text,
    last_error  text,
    started_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    UNIQUE (step_id, datamover, service)
);

-- The jobs of a step: one per parameter value (index), all of one attempt. Their files live in the
-- step's directory; a job array's tasks share its scheduler id with their own index.
ALTER TABLE jobs DROP CONSTRAINT jobs_session_id_step_attempt_key;
ALTER TABLE jobs
    ADD COLUMN step_id         bigint REFERENCES session_steps (id),
    ADD COLUMN directory       text,
    ADD COLUMN parameter       text,
    ADD COLUMN parameter_index integer;
CREATE INDEX jobs_step ON jobs (step_id) WHERE step_id IS NOT NULL;

ALTER TABLE events DROP CONSTRAINT events_entity_check;
ALTER TABLE events ADD CONSTRAINT events_entity_check
    CHECK (entity IN ('run', 'job', 'supervision', 'bundle', 'session', 'step', 'movement'));

CREATE TRIGGER session_steps_audit AFTER INSERT OR UPDATE ON session_steps
    FOR EACH ROW EXECUTE FUNCTION state_audit('step', 'status', 'step');
CREATE TRIGGER data_movements_audit AFTER INSERT OR UPDATE ON data_movements
    FOR EACH ROW EXECUTE FUNCTION state_audit('movement', 'status', 'datamover');
CREATE TRIGGER session_services_touch BEFORE UPDATE ON session_services
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
CREATE TRIGGER session_steps_touch BEFORE UPDATE ON session_steps
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
