-- Runs by status, both axes: the raw data's (transfer, archive) and the processing's.
SELECT 'raw_status' AS axis, raw_status AS status, count(*) AS runs FROM runs GROUP BY raw_status
UNION ALL
SELECT 'processed_status', processed_status, count(*) FROM runs GROUP BY processed_status
