-- The next poll: sooner when something changed (or jobs were just submitted), later while nothing does.
UPDATE cluster_polls
SET interval_ms = :interval_ms,
    next_poll_at = CASE WHEN :soonest THEN least(next_poll_at, now() + make_interval(secs => :interval_ms / 1000.0))
                        ELSE now() + make_interval(secs => :interval_ms / 1000.0) END
WHERE cluster = :cluster
