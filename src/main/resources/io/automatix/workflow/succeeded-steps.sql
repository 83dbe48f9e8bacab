SELECT DISTINCT step FROM session_steps WHERE session_id = :session_id AND outcome = 'succeeded'
