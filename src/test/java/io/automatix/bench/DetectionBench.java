package io.automatix.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.automatix.ssh.SshTarget;

/**
 * Detection time, run by bench/poll: from a job's end (the time its wrapper wrote in its status file)
 * to its end and reason recorded by the router (its job.succeeded or job.failed event), for N real
 * SLURM jobs of 2 to 9 s, a third of them failing (exit 3, which sacct explains), with polling only
 * (no push URL) at a fixed interval. With {@code forget}, SLURM's MinJobAge is 2 s (bench/poll sets
 * it) and the interval longer than SLURM takes to forget (it purges ended jobs once a minute): each
 * job is concluded from sacct and its status file alone. A sampler reads squeue every second, so
 * that each job is counted as seen or forgotten by squeue when it was concluded, as it was.
 * Arguments: jobs, database, vhost, work directory, router home, poll interval ms, forget.
 */
public final class DetectionBench {

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        String database = args[1];
        String vhost = args[2];
        Path work = Path.of(args[3]);
        Path home = Path.of(args[4]);
        long interval = Long.parseLong(args[5]);
        boolean forget = Boolean.parseBoolean(args[6]);
        SshTarget target = BenchRouter.testAccount();
        Path scratch = Files.createDirectories(work.resolve("scratch-" + interval));
        scratch.toFile().setWritable(true, false);
        Map<String, Long> lastListed = new ConcurrentHashMap<>();
        Thread sampler = new Thread(() -> sample(lastListed), "squeue-sampler");
        sampler.setDaemon(true);
        sampler.start();
        String url = "jdbc:postgresql://127.0.0.1:5432/" + database;
        String prefix = forget ? "df" : "ds";
        try (BenchRouter router = new BenchRouter(
                        home,
                        database,
                        vhost,
                        target,
                        scratch,
                        "automatix.clusters.hpc.push-url",
                        "",
                        "automatix.process.poll-min-ms",
                        String.valueOf(interval),
                        "automatix.process.poll-max-ms",
                        String.valueOf(interval),
                        "automatix.supervise.level",
                        "0");
                Connection c = DriverManager.getConnection(url, "postgres", "postgres");
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO runs (name, raw_status, cluster, pipeline) SELECT '" + prefix
                    + "' || i, 'ondeck', 'hpc', CASE WHEN i % 3 = 0 THEN 'detect-fails' ELSE 'detect' END"
                    + " FROM generate_series(1, " + n + ") i");
            long deadline = System.currentTimeMillis() + 30 * 60_000L;
            while (true) {
                try (ResultSet rs =
                        s.executeQuery("SELECT count(*) FROM runs WHERE processed_status IN ('processed', 'failed')")) {
                    rs.next();
                    if (rs.getInt(1) == n) {
                        break;
                    }
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("not every run ended within 30 min");
                }
                Thread.sleep(500);
            }
            List<double[]> seen = new ArrayList<>();
            List<double[]> forgotten = new ArrayList<>();
            int explained = 0;
            try (ResultSet rs = s.executeQuery("""
                    SELECT j.scheduler_job_name, extract(epoch FROM j.finished_at) AS ended,
                           extract(epoch FROM e.at) AS recorded, j.end_reason, j.scheduler_state
                    FROM jobs j
                    JOIN events e ON e.entity = 'job' AND e.entity_id = j.id AND e.to_state IN ('succeeded', 'failed')
                    WHERE j.state IN ('succeeded', 'failed')""")) {
                while (rs.next()) {
                    double ended = rs.getDouble("ended");
                    double recorded = rs.getDouble("recorded");
                    Long listed = lastListed.get(rs.getString(1));
                    boolean wasListed = listed != null && listed / 1000.0 >= recorded - 1.0;
                    (wasListed ? seen : forgotten).add(new double[] {recorded - ended});
                    if (rs.getString("end_reason") != null) {
                        explained++;
                    }
                }
            }
            System.out.printf(
                    "detection (job end -> end and reason recorded), %d jobs, polling every %.1f s (no push), MinJobAge"
                            + " %s; %d with a reason%n",
                    n, interval / 1000.0, forget ? "2 s" : "as provisioned", explained);
            report("squeue still listed it", seen, interval);
            report("squeue had forgotten it", forgotten, interval);
        }
    }

    private static void report(String what, List<double[]> delays, long interval) {
        if (delays.isEmpty()) {
            System.out.printf("  %s: no job%n", what);
            return;
        }
        double[] d = delays.stream().mapToDouble(x -> x[0]).sorted().toArray();
        double median = d[d.length / 2];
        double p95 = d[Math.min(d.length - 1, (int) Math.ceil(d.length * 0.95) - 1)];
        double seconds = interval / 1000.0;
        System.out.printf(
                "  %s: %d jobs, median %.2f s (%.2f intervals), p95 %.2f s (%.2f intervals), max %.2f s; target"
                        + " under 2 intervals: %s%n",
                what,
                d.length,
                median,
                median / seconds,
                p95,
                p95 / seconds,
                d[d.length - 1],
                p95 < 2 * seconds ? "met" : "NOT met");
    }

    /** When squeue last listed each job name (every second, as root on this host). */
    private static void sample(Map<String, Long> lastListed) {
        while (true) {
            try {
                Process p = new ProcessBuilder("squeue", "-h", "-t", "all", "-o", "%j")
                        .redirectErrorStream(true)
                        .start();
                String out = new String(p.getInputStream().readAllBytes());
                p.waitFor();
                long now = System.currentTimeMillis();
                for (String name : out.split("\n")) {
                    lastListed.put(name.strip(), now);
                }
                Thread.sleep(1000);
            } catch (Exception e) {
                return;
            }
        }
    }
}
