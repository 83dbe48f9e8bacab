INSERT INTO api_tokens (user_name, sha256, description, created_by, expires_at)
VALUES (:user, :sha256, :description, :created_by, :expires_at)
RETURNING id, created_at
