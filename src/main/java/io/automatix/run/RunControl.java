package io.automatix.run;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.automatix.cluster.Cluster;
import io.automatix.cluster.Clusters;
import io.automatix.db.SqlFile;
import io.automatix.db.Transactions;
import io.automatix.process.JobEngine;
import io.automatix.process.JobFiles;
import io.automatix.scheduler.WatchedJob;

/** What operators ask of a run's processing: do it again, or give it up. Each is recorded as the asking user's. */
public final class RunControl {

    private static final String REPROCESS = SqlFile.load(RunControl.class, "reprocess-run.sql");
    private static final String LIVE_JOBS = SqlFile.load(RunControl.class, "run-live-jobs.sql");
    private static final String CANCEL = SqlFile.load(RunControl.class, "cancel-run.sql");

    private final Transactions transactions;
    private final JobEngine engine;
    private final Clusters clusters;

    public RunControl(Transactions transactions, JobEngine engine, Clusters clusters) {
        this.transactions = transactions;
        this.engine = engine;
        this.clusters = clusters;
    }

    /** @return the number of jobs queued again; 0 when the run has not finished processing (or has no jobs yet) */
    public int reprocess(String user, String run) {
        int jobs = transactions
                .as(user, jdbc -> jdbc.queryForList(REPROCESS, Map.of("run", run), Long.class))
                .size();
        if (jobs > 0) {
            engine.wakeSubmitter();
        }
        return jobs;
    }

    /**
     * Cancels the run's jobs in their schedulers, then in the database, and fails the run.
     * @return the number of jobs cancelled, or -1 when the run was not being processed
     * @throws IOException when a cluster could not be told (nothing is changed then)
     */
    public int cancel(String user, String run) throws IOException {
        Map<String, List<WatchedJob>> byCluster = new HashMap<>();
        transactions.jdbc().query(LIVE_JOBS, Map.of("run", run), rs -> {
            Cluster cluster = clusters.get(rs.getString("cluster")).orElseThrow();
            byCluster
                    .computeIfAbsent(cluster.name(), k -> new ArrayList<>())
                    .add(new WatchedJob(
                            rs.getString("name"),
                            rs.getString("job_id"),
                            JobFiles.directory(cluster, rs.getString("run_name"))));
        });
        for (Map.Entry<String, List<WatchedJob>> e : byCluster.entrySet()) {
            engine.cancel(e.getKey(), e.getValue());
        }
        List<Long> cancelled = transactions.as(
                user,
                jdbc -> jdbc.queryForList(CANCEL, Map.of("run", run, "reason", "cancelled by " + user), Long.class));
        return cancelled.isEmpty() ? -1 : cancelled.get(0).intValue();
    }
}
