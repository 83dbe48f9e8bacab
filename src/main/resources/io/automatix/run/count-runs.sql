SELECT 'raw' AS kind, raw_status AS status, count(*) AS runs FROM runs GROUP BY raw_status
UNION ALL
SELECT 'processed', processed_status, count(*) FROM runs GROUP BY processed_status
