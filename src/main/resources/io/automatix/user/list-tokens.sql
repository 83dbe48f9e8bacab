-- Tokens and their users, never their hashes.
SELECT t.id, t.user_name AS user, u.role, u.groups, t.description, t.created_at, t.created_by, t.expires_at,
       t.revoked_at, t.revoked_by, t.last_used_at,
       CASE WHEN t.revoked_at IS NOT NULL THEN 'revoked'
            WHEN t.expires_at IS NOT NULL AND t.expires_at <= now() THEN 'expired'
            ELSE 'active' END AS state
FROM api_tokens t
JOIN users u ON u.name = t.user_name
ORDER BY t.id
