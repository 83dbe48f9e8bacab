UPDATE supervisions SET dispatch_status = 'failed', dispatch_error = :error
WHERE id = :id AND dispatch_status IN ('pending', 'formatted')
