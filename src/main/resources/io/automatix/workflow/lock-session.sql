SELECT status FROM workflow_sessions WHERE id = :id FOR UPDATE
