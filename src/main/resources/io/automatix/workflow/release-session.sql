UPDATE workflow_sessions SET claimed_by = NULL, claimed_at = NULL WHERE id = :id AND claimed_by = :router
