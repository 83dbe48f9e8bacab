-- The clusters due for a poll, each taken by one router (the others find next_poll_at moved on).
UPDATE cluster_polls
SET polled_by = :router, polled_at = now(), polls = polls + 1,
    next_poll_at = now() + make_interval(secs => interval_ms / 1000.0)
WHERE cluster IN (:clusters) AND next_poll_at <= now()
RETURNING cluster, interval_ms
