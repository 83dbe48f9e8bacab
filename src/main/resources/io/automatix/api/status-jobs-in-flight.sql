-- Jobs the clusters have (or are being given), per cluster: the partial index jobs_active covers it.
SELECT cluster,
       count(*) FILTER (WHERE state = 'submitting') AS submitting,
       count(*) FILTER (WHERE state = 'queued') AS queued,
       count(*) FILTER (WHERE state = 'running') AS running
FROM jobs
WHERE state IN ('submitting', 'queued', 'running')
GROUP BY cluster
ORDER BY cluster
