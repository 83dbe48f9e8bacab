SELECT owner_group FROM workflow_sessions WHERE id = :id
