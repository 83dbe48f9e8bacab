-- The backstop of the format and dispatch queues: supervisions whose format message went missing,
-- dispatches waiting out their back-off, and dispatches left by a router that died. Polled by the
-- route supervise-retry (camel-sql: :#${...} is a Camel expression, here the dispatch lease setting).
SELECT id, CASE WHEN dispatch_status = 'pending' THEN 'format' ELSE 'dispatch' END AS stage
FROM supervisions
WHERE (dispatch_status = 'pending' AND created_at < now() - interval '30 seconds')
   OR (dispatch_status = 'formatted' AND next_dispatch_at <= now())
   OR (dispatch_status = 'dispatching' AND claimed_at < now() - make_interval(secs => CAST(:#${properties:automatix.supervise.dispatch-lease-seconds} AS integer)))
ORDER BY id
LIMIT 100
