UPDATE session_services SET status = :status, connection = CAST(:connection AS jsonb), last_error = :error
WHERE id = :id
