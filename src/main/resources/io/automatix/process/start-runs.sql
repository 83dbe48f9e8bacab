UPDATE runs SET processed_status = 'processing'
WHERE id IN (SELECT run_id FROM jobs WHERE id = ANY(:ids)) AND processed_status = 'queued'
