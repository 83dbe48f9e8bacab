-- Transfer scheduling: when a run may be tried again (back-off after a transient error, or a live
-- acquisition), and why it waits.
ALTER TABLE runs ADD COLUMN next_attempt_at timestamptz;
ALTER TABLE runs ADD COLUMN note text;
CREATE INDEX runs_transfer_candidates ON runs (id)
    WHERE raw_status IN ('acquired', 'transferring');

-- Source hosts and paths reach remote commands: the same allow-lists as the ingest API, enforced
-- for writers that insert rows directly.
ALTER TABLE runs ADD CONSTRAINT runs_source_host_safe
    CHECK (source_host ~ '^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$');
ALTER TABLE runs ADD CONSTRAINT runs_source_path_safe
    CHECK (source_path ~ '^/[A-Za-z0-9._/+@=,-]*$' AND length(source_path) <= 4096
           AND source_path !~ '(^|/)\.\.(/|$)');
