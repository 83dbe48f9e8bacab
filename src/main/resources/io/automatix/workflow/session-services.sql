SELECT id, name, type, namespace, flavor, status, connection::text AS connection, last_error
FROM session_services WHERE session_id = :session_id ORDER BY id
