-- Cancels the live instances of a step (all steps when :step is null); the router driving each
-- acts on it at its next look, which is now.
UPDATE session_steps SET cancel_requested = true, next_check_at = now()
WHERE session_id = :session_id AND status <> 'stopped' AND (CAST(:step AS text) IS NULL OR step = :step)
RETURNING id
