SELECT m.step_id, m.datamover, m.service, m.trigger, m.operation, m.target, m.status, m.files_total, m.files_done,
       m.bytes_total, m.bytes_done, m.location, m.last_error, m.started_at, m.finished_at
FROM data_movements m JOIN session_steps s ON s.id = m.step_id
WHERE s.session_id = :session_id ORDER BY m.id
