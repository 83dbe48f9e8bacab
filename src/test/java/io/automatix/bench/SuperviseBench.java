package io.automatix.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import io.automatix.ssh.SshTarget;

/**
 * Time from a job's failure to its resubmission by its supervision (level 2, on the local SLURM):
 * N runs whose one job fails once; for each, from the job's own end (its wrapper's clock) and from
 * the failure's record in the database to the recovery script's resubmission. Run by
 * bench/supervise-latency. Arguments: N, database, vhost, work dir, router home.
 */
public final class SuperviseBench {

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        String database = args[1];
        String vhost = args[2];
        Path work = Path.of(args[3]);
        Path home = Path.of(args[4]);
        SshTarget target = BenchRouter.testAccount();
        Path scratch = Files.createDirectories(work.resolve("scratch"));
        scratch.toFile().setWritable(true, false);
        String url = "jdbc:postgresql://127.0.0.1:5432/" + database;
        try (BenchRouter router = new BenchRouter(
                        home, database, vhost, target, scratch, "automatix.clusters.hpc.supervision-level", "2");
                Connection c = DriverManager.getConnection(url, "postgres", "postgres");
                Statement s = c.createStatement()) {
            s.execute(
                    "INSERT INTO runs (name, raw_status, cluster, pipeline) SELECT 'sv' || i, 'ondeck', 'hpc', 'fail-once'"
                            + " FROM generate_series(1, " + n + ") i");
            BenchRouter.awaitRuns(s, "processed_status", "processed", "failed", n);
            try (ResultSet rs = s.executeQuery("""
                    WITH t AS (
                        SELECT s.dispatched_at,
                               (SELECT e.at FROM events e WHERE e.entity = 'job' AND e.entity_id = s.job_id
                                  AND e.to_state = 'failed' ORDER BY e.id LIMIT 1) AS recorded,
                               s.created_at
                        FROM supervisions s WHERE s.dispatch_status = 'dispatched')
                    SELECT count(*),
                           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM dispatched_at - recorded)),
                           percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM dispatched_at - recorded)),
                           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM created_at - recorded))
                    FROM t""")) {
                rs.next();
                System.out.printf(
                        "supervision: %d job failures, each resubmitted by its recovery script (level 2, SLURM)%n",
                        rs.getInt(1));
                System.out.printf(
                        "failure recorded -> resubmitted: median %.0f ms, p90 %.0f ms (detected after a median %.0f ms;"
                                + " the detect sweep runs every second)%n",
                        rs.getDouble(2) * 1000, rs.getDouble(3) * 1000, rs.getDouble(4) * 1000);
            }
        }
    }
}
