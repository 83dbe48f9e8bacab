UPDATE session_steps SET claimed_at = now() WHERE id = :id AND claimed_by = :router
