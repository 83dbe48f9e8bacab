-- A data mover's movement for one service of a step; begun again from the start if a router died in it.
INSERT INTO data_movements (step_id, datamover, service, trigger, operation, target)
VALUES (:step_id, :datamover, :service, :trigger, :operation, :target)
ON CONFLICT (step_id, datamover, service) DO UPDATE
    SET status = 'running', files_done = 0, bytes_done = 0, last_error = NULL, started_at = now(), finished_at = NULL
    WHERE data_movements.status <> 'done'
RETURNING id
