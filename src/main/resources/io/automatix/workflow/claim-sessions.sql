-- Sessions with something to do (services to set up, or a stop to finish), one router each.
UPDATE workflow_sessions s
SET claimed_by = :router, claimed_at = now()
FROM (SELECT id FROM workflow_sessions
      WHERE status IN ('starting', 'stopping')
        AND (claimed_by IS NULL OR claimed_at < now() - make_interval(secs => :lease_seconds))
      ORDER BY id
      LIMIT 20
      FOR UPDATE SKIP LOCKED) due
WHERE s.id = due.id
RETURNING s.id, s.name, s.owner, s.workflow_file AS workflow, s.wdf, s.variables::text AS variables, s.cluster, s.directory, s.status,
          s.shared_with, s.share_token_sha256, s.force_stop, s.last_error, s.created_at, s.stopped_at
