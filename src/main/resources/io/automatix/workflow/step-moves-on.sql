-- The router driving a step moves it to its next state and keeps driving it: its claim stays, so no
-- other pass (of this router or another) takes the step up while its data movers run.
UPDATE session_steps SET status = :status, claimed_at = now()
WHERE id = :id AND claimed_by = :router
