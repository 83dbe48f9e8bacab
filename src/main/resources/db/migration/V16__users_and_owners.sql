-- Users and their API tokens (README "Users and roles"), and the owner of every run.
-- A user's role and groups are the user's, not a token's: revoking a token leaves the user, and a
-- new token for the same user gets its current role.
CREATE TABLE users (
    name text PRIMARY KEY CHECK (name ~ '^[A-Za-z0-9_][A-Za-z0-9._@-]{0,63}$'),
    role text NOT NULL CHECK (role IN ('viewer', 'scientist', 'operator', 'admin')),
    groups text[] NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by text NOT NULL
);

-- Only the SHA-256 of a token is kept: the token itself is shown once, when it is made.
CREATE TABLE api_tokens (
    id bigserial PRIMARY KEY,
    user_name text NOT NULL REFERENCES users (name),
    sha256 text NOT NULL UNIQUE CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    description text,
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by text NOT NULL,
    expires_at timestamptz,
    revoked_at timestamptz,
    revoked_by text,
    last_used_at timestamptz
);

-- A run's owner and group. A run without an owner (inserted by the acquisition system, offered
-- over AMQP, or older than this migration) belongs to automatix.runs.default-owner and
-- automatix.runs.default-group, read at query time so that changing them needs no backfill.
ALTER TABLE runs ADD COLUMN owner text, ADD COLUMN owner_group text;
CREATE INDEX runs_owner ON runs (owner) WHERE owner IS NOT NULL;
CREATE INDEX runs_owner_group ON runs (owner_group) WHERE owner_group IS NOT NULL;

-- A session's group: its members see and act on it as its owner does.
ALTER TABLE workflow_sessions ADD COLUMN owner_group text;
