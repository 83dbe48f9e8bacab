UPDATE data_movements SET status = :status, last_error = :error, finished_at = now() WHERE id = :id AND status = 'running'
