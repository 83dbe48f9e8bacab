SELECT cancel_requested FROM session_steps WHERE id = :id
