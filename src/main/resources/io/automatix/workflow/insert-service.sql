INSERT INTO session_services (session_id, name, type, namespace, flavor)
VALUES (:session_id, :name, :type, :namespace, :flavor)
