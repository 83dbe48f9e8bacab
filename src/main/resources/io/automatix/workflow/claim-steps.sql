-- Steps with something to do (start, watch their jobs, stop), one router each, in sessions whose
-- services are up.
UPDATE session_steps st
SET claimed_by = :router, claimed_at = now()
FROM (SELECT t.id
      FROM session_steps t
      JOIN workflow_sessions s ON s.id = t.session_id
      WHERE t.status <> 'stopped' AND t.next_check_at <= now() AND s.status IN ('active', 'stopping')
        AND (t.claimed_by IS NULL OR t.claimed_at < now() - make_interval(secs => :lease_seconds))
      ORDER BY t.next_check_at, t.id
      LIMIT :limit
      FOR UPDATE OF t SKIP LOCKED) due
WHERE st.id = due.id
RETURNING st.id, st.session_id, st.step, st.instance, st.status, st.variables::text AS variables, st.cancel_requested
