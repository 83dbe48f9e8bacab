SELECT count(*) FROM session_steps WHERE session_id = :session_id AND status <> 'stopped'
