-- The token's user, role and groups, and whether it may still be used.
SELECT t.id, u.name, u.role, array_to_string(u.groups, ',') AS groups,
       t.revoked_at IS NOT NULL AS revoked, t.expires_at IS NOT NULL AND t.expires_at <= now() AS expired
FROM api_tokens t
JOIN users u ON u.name = t.user_name
WHERE t.sha256 = :sha256
