-- The routers' status key: the existing one, or this one if none was made yet (two routers starting
-- at once both read the one that won).
WITH made AS (
    INSERT INTO status_key (key) VALUES (:key) ON CONFLICT (only_row) DO NOTHING RETURNING key
)
SELECT key FROM made
UNION ALL
SELECT key FROM status_key
LIMIT 1
