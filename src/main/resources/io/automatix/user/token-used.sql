-- At most once a minute per token, so that a busy client does not write a row per request.
UPDATE api_tokens SET last_used_at = now()
WHERE id = :id AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
