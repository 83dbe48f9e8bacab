UPDATE runs SET processed_status = 'failed', last_error = :error
WHERE id = :id AND processed_status = 'queued'
