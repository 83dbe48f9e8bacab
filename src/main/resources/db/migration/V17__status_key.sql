-- The key every job's status key is derived from (see StatusKeys): one row, made by the first router
-- that starts, the same for every router on this database, so that any of them verifies what a job
-- that another rendered pushes. It is as secret as the database is: whoever can change the database
-- can mark a job finished anyway.
CREATE TABLE status_key (
    only_row   boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    key        bytea NOT NULL CHECK (length(key) >= 32),
    created_at timestamptz NOT NULL DEFAULT now()
);
