-- Why a job ended, as a person reads it, with the scheduler's facts behind it (from its accounting,
-- its queue, or the job's own status file): the reason (see JobEnd.Reason), a sentence saying it,
-- the scheduler's final state, the signal that ended it, its elapsed time, the most memory it used
-- and where it ran. A retry clears them for the next attempt (the attempt's note keeps the words);
-- the job's events carry them (jobs_audit, as V10 writes it).
ALTER TABLE jobs
    ADD COLUMN end_reason      text,
    ADD COLUMN end_detail      text,
    ADD COLUMN scheduler_state text,
    ADD COLUMN exit_signal     integer,
    ADD COLUMN elapsed_seconds bigint,
    ADD COLUMN max_rss_bytes   bigint,
    ADD COLUMN node            text;

