-- A batch of status reports, pushed or polled, in one statement. Each is a guarded transition by the
-- job's name (which carries the attempt), so a report that arrives twice, late, or for an attempt
-- that was since retried changes nothing. Of several reports for one job the furthest wins. An end
-- records why (the reason and its words, with the scheduler's facts where known). A job the scheduler
-- requeued under its id is queued again, once per run it stopped (requeued_at is that run's end); a
-- report of an end up to then (its pushed failure, late) is of the run it stopped, and changes nothing.
WITH reports AS (
    SELECT DISTINCT ON (name) name, event, exit_code, detail, coalesce(to_timestamp(at), now()) AS at,
                              scheduler_job_id, end_reason, scheduler_state, exit_signal, elapsed_seconds,
                              max_rss_bytes, node
    FROM unnest(CAST(:names AS text[]), CAST(:events AS text[]), CAST(:exit_codes AS integer[]),
                CAST(:details AS text[]), CAST(:ats AS double precision[]), CAST(:scheduler_job_ids AS text[]),
                CAST(:end_reasons AS text[]), CAST(:scheduler_states AS text[]), CAST(:signals AS integer[]),
                CAST(:elapsed AS bigint[]), CAST(:max_rss AS bigint[]), CAST(:nodes AS text[]))
         AS r(name, event, exit_code, detail, at, scheduler_job_id, end_reason, scheduler_state, exit_signal,
              elapsed_seconds, max_rss_bytes, node)
    ORDER BY name, CASE event WHEN 'finished' THEN 4 WHEN 'lost' THEN 3 WHEN 'requeued' THEN 2 ELSE 1 END DESC
)
UPDATE jobs j
SET state = CASE r.event
                WHEN 'started' THEN 'running'
                WHEN 'lost' THEN 'lost'
                WHEN 'requeued' THEN 'queued'
                ELSE CASE WHEN r.exit_code = 0 THEN 'succeeded' ELSE 'failed' END
            END,
    exit_code = CASE WHEN r.event = 'finished' THEN r.exit_code ELSE j.exit_code END,
    scheduler_job_id = coalesce(j.scheduler_job_id, r.scheduler_job_id),
    started_at = CASE r.event WHEN 'lost' THEN j.started_at WHEN 'requeued' THEN NULL
                              ELSE coalesce(j.started_at, r.at) END,
    finished_at = CASE WHEN r.event IN ('started', 'requeued') THEN j.finished_at ELSE r.at END,
    last_error = CASE
                     WHEN r.event = 'lost' THEN r.detail
                     WHEN r.event = 'finished' AND r.exit_code IS DISTINCT FROM 0
                         THEN coalesce(r.detail, 'exit code ' || r.exit_code, 'failed')
                     ELSE j.last_error
                 END,
    end_reason = CASE WHEN r.event IN ('started', 'requeued') THEN j.end_reason ELSE r.end_reason END,
    end_detail = CASE WHEN r.event IN ('started', 'requeued') THEN j.end_detail ELSE r.detail END,
    scheduler_state = CASE WHEN r.event IN ('started', 'requeued') THEN j.scheduler_state ELSE r.scheduler_state END,
    exit_signal = CASE WHEN r.event IN ('started', 'requeued') THEN j.exit_signal ELSE r.exit_signal END,
    elapsed_seconds = CASE WHEN r.event IN ('started', 'requeued') THEN j.elapsed_seconds ELSE r.elapsed_seconds END,
    max_rss_bytes = CASE WHEN r.event IN ('started', 'requeued') THEN j.max_rss_bytes ELSE r.max_rss_bytes END,
    node = coalesce(r.node, j.node),
    requeues = j.requeues + CASE WHEN r.event = 'requeued' THEN 1 ELSE 0 END,
    requeued = CASE WHEN r.event = 'requeued' THEN r.detail ELSE j.requeued END,
    requeued_at = CASE WHEN r.event = 'requeued' THEN r.at ELSE j.requeued_at END
FROM reports r
WHERE j.scheduler_job_name = r.name
  AND ((r.event = 'started' AND j.state IN ('submitting', 'queued'))
    OR (r.event = 'finished' AND j.state IN ('submitting', 'queued', 'running'))
    OR (r.event = 'lost' AND j.state IN ('queued', 'running'))
    OR (r.event = 'requeued' AND j.state IN ('queued', 'running') AND r.at > coalesce(j.requeued_at, '-infinity')))
  -- within a millisecond: a pushed time and a polled one of the same line may round apart
  AND NOT coalesce(r.event IN ('finished', 'lost') AND r.at <= j.requeued_at + interval '1 millisecond', false)
RETURNING j.id, j.state
