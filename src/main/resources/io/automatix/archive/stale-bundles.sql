-- Bundles left building or uploading by a router that stopped: failed, so their runs are bundled again.
UPDATE archive_bundles SET status = 'failed', last_error = 'abandoned by ' || claimed_by, claimed_by = NULL
WHERE status IN ('building', 'uploading') AND claimed_at < now() - make_interval(secs => :lease_seconds)
