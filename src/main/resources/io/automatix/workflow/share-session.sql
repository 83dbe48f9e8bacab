UPDATE workflow_sessions
SET shared_with = ARRAY(SELECT DISTINCT u FROM unnest(shared_with || CAST(:users AS text[])) u ORDER BY u),
    share_token_sha256 = coalesce(:token_sha256, share_token_sha256)
WHERE id = :id
