-- Its runs are free for the next bundle; the failed bundle stays, with the reason.
UPDATE archive_bundles SET status = 'failed', last_error = :error, claimed_by = NULL
WHERE id = :id AND status IN ('building', 'uploading')
