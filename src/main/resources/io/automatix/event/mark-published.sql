UPDATE events SET published_at = now() WHERE id = :id AND published_at IS NULL
