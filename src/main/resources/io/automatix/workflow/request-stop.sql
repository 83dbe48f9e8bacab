UPDATE workflow_sessions SET status = 'stopping', force_stop = force_stop OR :force
WHERE id = :id AND status IN ('starting', 'active', 'stopping')
RETURNING status
