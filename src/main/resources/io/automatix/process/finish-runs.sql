-- A run whose jobs have all succeeded is processed.
UPDATE runs r SET processed_status = 'processed', last_error = NULL
WHERE r.id IN (SELECT run_id FROM jobs WHERE id = ANY(:ids) AND state = 'succeeded')
  AND r.processed_status IN ('queued', 'processing')
  AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.run_id = r.id AND j.state <> 'succeeded')
