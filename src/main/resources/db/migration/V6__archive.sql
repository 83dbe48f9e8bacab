-- Archive: a processed run is compressed where it lies (its archive file, size, SHA-256 and file
-- list recorded), then bundled with others into one tar with a manifest, uploaded and verified.
ALTER TABLE runs
    ADD COLUMN archive_file   text,
    ADD COLUMN archive_bytes  bigint,
    ADD COLUMN archive_sha256 text,
    ADD COLUMN archive_files  jsonb,
    ADD COLUMN compressed_at  timestamptz;
CREATE INDEX runs_compressed ON runs (compressed_at) WHERE raw_status = 'compressed';

ALTER TABLE archive_bundles
    ADD COLUMN claimed_by text,
    ADD COLUMN claimed_at timestamptz;
