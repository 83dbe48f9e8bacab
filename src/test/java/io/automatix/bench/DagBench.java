package io.automatix.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.automatix.ssh.CommandResult;
import io.automatix.ssh.SshSessions;
import io.automatix.ssh.SshTarget;

/**
 * The CyberShake DAG (LF, HF -> BB -> IM_calc) of N realisations of trivial jobs on the local SLURM:
 * makespan and trigger latency for the SLURM-native baseline (everything submitted upfront with
 * --dependency=afterok, in one SSH round trip) and for Automatix (a router in this process, jobs
 * released by the database as parents succeed, status pushed). Run by bench/dag-makespan, which
 * also runs Snakemake on the same DAG. Arguments: N, database, vhost, work dir, router home and
 * Snakemake's makespan in seconds (or "-").
 */
public final class DagBench {

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        String database = args[1];
        String vhost = args[2];
        Path work = Path.of(args[3]);
        Path home = Path.of(args[4]);
        SshTarget target = BenchRouter.testAccount();

        double[] nativeResult = nativeBaseline(n, target, work.resolve("native"));
        double[] automatix = automatix(n, database, vhost, target, work.resolve("automatix"), home);

        System.out.printf("DAG: %d realisations x (LF, HF -> BB -> IM_calc) = %d trivial jobs on SLURM%n", n, 4 * n);
        System.out.printf(
                "SLURM-native (afterok, all upfront): makespan %.2f s, median trigger (parent end -> child start) %.0f ms%n",
                nativeResult[0], nativeResult[1] * 1000);
        System.out.printf(
                "Automatix (push on):                 makespan %.2f s, median trigger (parent end -> child submitted) %.0f ms,"
                        + " p90 %.0f ms%n",
                automatix[0], automatix[1] * 1000, automatix[2] * 1000);
        if (!args[5].equals("-")) {
            double snakemake = Double.parseDouble(args[5]);
            System.out.printf("Snakemake 7 (cluster mode, sbatch):  makespan %.2f s%n", snakemake);
            System.out.printf("ratio: Snakemake makespan / native = %.2fx%n", snakemake / nativeResult[0]);
        }
        System.out.printf(
                "ratio: Automatix makespan / native = %.2fx (target <= 1.2x); median trigger %.0f ms (target < 500 ms)%n",
                automatix[0] / nativeResult[0], automatix[1] * 1000);
    }

    /** @return makespan s, median trigger latency s */
    private static double[] nativeBaseline(int n, SshTarget target, Path dir) throws Exception {
        Files.createDirectories(dir);
        dir.toFile().setWritable(true, false);
        StringBuilder script = new StringBuilder("set -e\ncd " + dir + "\n");
        script.append("job() { n=$1; shift; sbatch --parsable -J \"nat.$n\" -o /dev/null -t 10 \"$@\" "
                + "--wrap \"date +%s.%N > $n.start; date +%s.%N > $n.end\"; }\n");
        for (int i = 0; i < n; i++) {
            script.append(String.format(
                    "lf=$(job r%1$d.LF); hf=$(job r%1$d.HF); "
                            + "bb=$(job r%1$d.BB --dependency=afterok:$lf:$hf); job r%1$d.IM --dependency=afterok:$bb >/dev/null%n",
                    i));
        }
        SshSessions ssh = new SshSessions(Duration.ofSeconds(10));
        ssh.start();
        try {
            double t0 = now();
            CommandResult r = ssh.shell(target)
                    .run(List.of("sh", "-s"), script.toString().getBytes(), Duration.ofMinutes(10), null);
            if (!r.succeeded()) {
                throw new IllegalStateException("native submission failed: " + r.summary());
            }
            while (!allExist(dir, n)) {
                Thread.sleep(100);
            }
            double end = 0;
            List<Double> triggers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                double lf = read(dir, "r" + i + ".LF.end");
                double hf = read(dir, "r" + i + ".HF.end");
                double bbEnd = read(dir, "r" + i + ".BB.end");
                triggers.add(read(dir, "r" + i + ".BB.start") - Math.max(lf, hf));
                triggers.add(read(dir, "r" + i + ".IM.start") - bbEnd);
                end = Math.max(end, read(dir, "r" + i + ".IM.end"));
            }
            return new double[] {end - t0, median(triggers)};
        } finally {
            ssh.stop();
        }
    }

    private static boolean allExist(Path dir, int n) {
        for (int i = 0; i < n; i++) {
            if (!Files.exists(dir.resolve("r" + i + ".IM.end"))) {
                return false;
            }
        }
        return true;
    }

    /** @return makespan s, median and p90 trigger latency s */
    private static double[] automatix(int n, String database, String vhost, SshTarget target, Path scratch, Path home)
            throws Exception {
        Files.createDirectories(scratch);
        scratch.toFile().setWritable(true, false);
        String url = "jdbc:postgresql://127.0.0.1:5432/" + database;
        try (BenchRouter router = new BenchRouter(
                        home,
                        database,
                        vhost,
                        target,
                        scratch,
                        "automatix.clusters.hpc.max-jobs",
                        String.valueOf(4 * n));
                Connection c = DriverManager.getConnection(url, "postgres", "postgres");
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO runs (name, raw_status, cluster, pipeline) SELECT 'dag' || i, 'ondeck', 'hpc',"
                    + " 'cybershake-trivial' FROM generate_series(0, " + (n - 1) + ") i");
            BenchRouter.awaitRuns(s, "processed_status", "processed", "failed", n);
            try (ResultSet rs = s.executeQuery("""
                    WITH triggers AS (
                        SELECT extract(epoch FROM j.submitted_at - max(p.finished_at)) AS latency
                        FROM jobs j JOIN job_dependencies d ON d.job_id = j.id JOIN jobs p ON p.id = d.parent_job_id
                        GROUP BY j.id, j.submitted_at)
                    SELECT (SELECT extract(epoch FROM max(finished_at) - (SELECT min(created_at) FROM runs)) FROM jobs),
                           percentile_cont(0.5) WITHIN GROUP (ORDER BY latency),
                           percentile_cont(0.9) WITHIN GROUP (ORDER BY latency)
                    FROM triggers""")) {
                rs.next();
                double[] result = {rs.getDouble(1), rs.getDouble(2), rs.getDouble(3)};
                breakdown(s);
                return result;
            }
        }
    }

    /** Where a trigger's time goes: the parent's report reaching the database, the claim, the sbatch. */
    private static void breakdown(Statement s) throws Exception {
        try (ResultSet rs = s.executeQuery("""
                WITH t AS (
                    SELECT j.id,
                           max(p.finished_at) AS parent_end,
                           max(pe.at) AS applied,
                           (SELECT min(e.at) FROM events e WHERE e.entity = 'job' AND e.entity_id = j.id
                                AND e.to_state = 'submitting') AS claimed,
                           j.submitted_at
                    FROM jobs j JOIN job_dependencies d ON d.job_id = j.id JOIN jobs p ON p.id = d.parent_job_id
                    JOIN events pe ON pe.entity = 'job' AND pe.entity_id = p.id AND pe.to_state = 'succeeded'
                    GROUP BY j.id, j.submitted_at)
                SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM applied - parent_end)),
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM claimed - applied)),
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM submitted_at - claimed))
                FROM t""")) {
            rs.next();
            System.out.printf(
                    "Automatix trigger, medians: parent's report applied %.0f ms after it ended; child claimed"
                            + " %.0f ms later; sbatch done %.0f ms after that%n",
                    rs.getDouble(1) * 1000, rs.getDouble(2) * 1000, rs.getDouble(3) * 1000);
        }
    }

    private static double read(Path dir, String file) throws Exception {
        return Double.parseDouble(Files.readString(dir.resolve(file)).strip());
    }

    private static double now() {
        return System.currentTimeMillis() / 1000.0;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
