-- Jobs that failed for good on a cluster supervised automatically (:held): their supervision may
-- resubmit them, so what they belong to waits (until the supervision gives up on them). Not those
-- their recovery policy failed for good at once (fail: it can never succeed).
UPDATE jobs SET awaiting_supervision = true
WHERE id = ANY(:ids) AND state IN ('failed', 'lost') AND attempt >= max_attempts AND cluster = ANY(:held)
  AND NOT awaiting_supervision
  AND NOT recovery_final
