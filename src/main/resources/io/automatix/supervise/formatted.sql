-- The script is stored base64-encoded, as it travels; level 1 stops here (notified).
UPDATE supervisions SET script = :script, dispatch_status = :status, dispatch_error = NULL
WHERE id = :id AND dispatch_status = 'pending'
