-- Jobs that failed for good on a cluster supervised automatically (:held): their supervision may
-- resubmit them, so what they belong to waits (until the supervision gives up on them).
UPDATE jobs SET awaiting_supervision = true
WHERE id = ANY(:ids) AND state IN ('failed', 'lost') AND attempt >= max_attempts AND cluster = ANY(:held)
  AND NOT awaiting_supervision
