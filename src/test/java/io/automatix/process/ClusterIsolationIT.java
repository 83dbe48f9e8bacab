package io.automatix.process;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.automatix.testing.RouterProcess;
import io.automatix.testing.RunningRouter;
import io.automatix.testing.RunsDb;
import io.automatix.testing.TestHome;
import io.automatix.testing.TestServices;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two clusters on the machine's SLURM, each over its own sshd and with its own site settings:
 * partitions, accounts, preambles (a's through SLURM's --clusters, b's with a umask and group for
 * its job directories), which each cluster's jobs carry. Then cluster b's sshd and every session it
 * serves are frozen (SIGSTOP) for 60 s, so its connects and commands hang until they time out, the
 * worst case. Cluster a, polled only (no push), keeps submitting and finishing at its rate
 * meanwhile, the router stays ready with b named as out, and b's jobs finish once it is back.
 */
class ClusterIsolationIT {

    private static final Path SSHD_CONFIG = TestServices.TEST_HOME.resolve("ssh/sshd_config");
    private static final Duration OUTAGE = Duration.ofSeconds(60);

    @Test
    void aClusterWhoseSshdHangsHoldsUpOnlyItsOwnJobs() throws Exception {
        TestServices.requireSshKey();
        String tag = UUID.randomUUID().toString().substring(0, 6);
        Path dir = Files.createTempDirectory("isolation");
        int port = TestServices.freePort();
        Path pid = dir.resolve("sshd.pid");
        Path knownHosts = dir.resolve("known_hosts");
        String key = Files.readString(TestServices.TEST_HOME.resolve("ssh/host_ed25519.pub"))
                .strip();
        Files.writeString(knownHosts, "[127.0.0.1]:" + port + " " + key + "\n");
        TestServices.run("/usr/sbin/sshd", "-f", SSHD_CONFIG.toString(), "-o", "Port=" + port, "-o", "PidFile=" + pid);
        await().atMost(Duration.ofSeconds(10)).until(() -> RouterProcess.listening(port) && Files.exists(pid));
        String database = TestServices.createDatabase();
        String vhost = TestServices.createVirtualHost();
        RunsDb db = new RunsDb(database);
        ScheduledExecutorService offer = Executors.newSingleThreadScheduledExecutor();
        List<String> frozen = new ArrayList<>();
        Path scratchA = TestServices.sharedDirectory("scratch", true);
        Path scratchB = TestServices.sharedDirectory("scratch", true);
        try (RunningRouter router = RunningRouter.builder()
                .home(TestHome.copyOfProject().path())
                .services(database, vhost)
                .sshHost("automatix.clusters.a")
                .property("automatix.clusters.a.scratch", scratchA.toString())
                .property("automatix.clusters.a.partition-rules", "standby")
                .property("automatix.clusters.a.account", "lab-a")
                .property("automatix.clusters.a.slurm-clusters", slurmCluster())
                .property("automatix.clusters.a.preamble", preamble("a", scratchA))
                .sshHost("automatix.clusters.b", port, knownHosts)
                .property("automatix.clusters.b.scratch", scratchB.toString())
                .property("automatix.clusters.b.partition-rules", "physics")
                .property("automatix.clusters.b.account", "lab-b")
                .property("automatix.clusters.b.preamble", preamble("b", scratchB))
                .property("automatix.clusters.b.job-umask", "0027")
                .property("automatix.clusters.b.job-group", "amx-science")
                .property("automatix.process.plan-ms", "500")
                .property("automatix.process.poll-min-ms", "500")
                .property("automatix.process.poll-max-ms", "2000")
                .property("automatix.process.retry-delay-seconds", "1")
                .start()) {
            AtomicInteger n = new AtomicInteger();
            offer.scheduleAtFixedRate(
                    () -> {
                        int i = n.getAndIncrement();
                        try {
                            db.ondeck(String.format("iso_%s_a%03d", tag, i), "a", "fulliautomatix");
                            db.ondeck(String.format("iso_%s_b%03d", tag, i), "b", "fulliautomatix");
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    0,
                    1,
                    TimeUnit.SECONDS);
            Thread.sleep(20_000); // a steady state on both
            eachClustersJobsCarryItsSiteSettings(db, tag, scratchA, scratchB);
            long before = epoch(db);
            frozen.addAll(freeze(Files.readString(pid).strip()));
            long start = epoch(db);
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> {
                        HttpResponse<String> ready = router.get("/observe/health/ready");
                        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
                        assertThat(router.get("/observe/health").body()).contains("degraded: cluster b is out");
                    });
            Thread.sleep(Math.max(0, OUTAGE.toMillis() - (epoch(db) - start)));
            long end = epoch(db);
            signal("CONT", frozen);
            frozen.clear();
            offer.shutdownNow();

            // a's jobs offered during the outage went through as fast as those before it
            String window = "FROM jobs j JOIN runs r ON r.id = j.run_id WHERE r.name LIKE ? AND j.created_at"
                    + " BETWEEN to_timestamp(?::double precision / 1000) AND to_timestamp(?::double precision / 1000)";
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> Integer.parseInt(db.value(
                                    "SELECT count(*) " + window + " AND j.finished_at IS NULL",
                                    "iso\\_" + tag + "\\_a%",
                                    start,
                                    end))
                            == 0);
            String latency = "SELECT coalesce(max(extract(epoch FROM j.finished_at - j.created_at)), 0) " + window;
            double latencyBefore =
                    Double.parseDouble(db.value(latency, "iso\\_" + tag + "\\_a%", before - 15_000, before));
            double latencyDuring = Double.parseDouble(db.value(latency, "iso\\_" + tag + "\\_a%", start, end));
            String finished = "SELECT count(*) FROM jobs j JOIN runs r ON r.id = j.run_id WHERE r.name LIKE ?"
                    + " AND j.state = 'succeeded' AND j.finished_at BETWEEN to_timestamp(?::double precision / 1000)"
                    + " AND to_timestamp(?::double precision / 1000)";
            double rateBefore =
                    Integer.parseInt(db.value(finished, "iso\\_" + tag + "\\_a%", before - 15_000, before)) / 15.0;
            double rateDuring = Integer.parseInt(db.value(finished, "iso\\_" + tag + "\\_a%", start, end))
                    / ((end - start) / 1000.0);
            System.out.printf(
                    "cluster a: %.2f job(s)/s finished before b's outage, %.2f during; slowest job from offer to end"
                            + " %.1f s before, %.1f s during (b frozen for %d s)%n",
                    rateBefore, rateDuring, latencyBefore, latencyDuring, (end - start) / 1000);
            assertThat(rateBefore).isGreaterThan(0.5);
            // a run is offered to a every second: it finishes them as fast during b's outage (the rate
            // before may be higher still, while a backlog of the first seconds finishes)
            assertThat(rateDuring).isGreaterThan(Math.min(rateBefore, 1.0) * 0.8);
            // before the per-cluster workers, a's submissions and polls waited behind b's timeouts
            assertThat(latencyDuring).isLessThan(latencyBefore + 5);

            // b's jobs, held up meanwhile, all finish once it is back; and it is no longer out
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(db.value(
                                    "SELECT count(*) FILTER (WHERE j.state = 'succeeded') || ' of ' || count(*) || ' ('"
                                            + " || string_agg(DISTINCT j.state, ',') || ')' FROM jobs j JOIN runs r"
                                            + " ON r.id = j.run_id WHERE r.name LIKE ?",
                                    "iso\\_" + tag + "\\_b%"))
                            .startsWith(offeredB(db, tag) + " of " + offeredB(db, tag) + " "));
            assertThat(db.value("SELECT count(*) FROM jobs WHERE state IN ('failed', 'lost', 'cancelled')"))
                    .isEqualTo("0");
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> !router.get("/observe/health").body().contains("is out"));
        } finally {
            offer.shutdownNow();
            signal("CONT", frozen);
            if (Files.exists(pid)) {
                signal("TERM", List.of(Files.readString(pid).strip()));
            }
            TestServices.dropDatabase(database);
            TestServices.deleteVirtualHost(vhost);
        }
    }

    /** The site's preamble: it logs whether it runs in a job (its id) or before a command. */
    private static String preamble(String site, Path scratch) {
        return "AX_SITE=" + site + "; export AX_SITE\n" + "printf '%s\\n' \"${SLURM_JOB_ID:-command}\" >> "
                + scratch.resolve("preamble.log");
    }

    /** The machine's SLURM cluster, by its name in slurmdbd. */
    private static String slurmCluster() {
        return TestServices.run("scontrol", "show", "config")
                .lines()
                .filter(l -> l.startsWith("ClusterName"))
                .map(l -> l.split("=", 2)[1].strip())
                .findFirst()
                .orElseThrow();
    }

    private static void eachClustersJobsCarryItsSiteSettings(RunsDb db, String tag, Path scratchA, Path scratchB)
            throws Exception {
        for (String[] site : new String[][] {{"a", "standby", "lab-a"}, {"b", "physics", "lab-b"}}) {
            String ids = db.value(
                    "SELECT string_agg(split_part(j.scheduler_job_id, '_', 1), ',') FROM jobs j JOIN runs r"
                            + " ON r.id = j.run_id WHERE r.name LIKE ? AND j.state = 'succeeded'",
                    "iso\\_" + tag + "\\_" + site[0] + "%");
            assertThat(ids).as("cluster %s's finished jobs", site[0]).isNotBlank();
            // by name too: a job id of an earlier day's SLURM may come again
            String prefix = "iso_" + tag + "_" + site[0];
            List<String> seen = TestServices.run(
                            "sacct", "-n", "-P", "-X", "-j", ids, "-o", "JobName%60,Partition,Account")
                    .lines()
                    .filter(l -> l.startsWith(prefix))
                    .map(l -> l.substring(l.indexOf('|') + 1))
                    .distinct()
                    .toList();
            assertThat(seen)
                    .as("cluster %s's jobs in SLURM's accounting", site[0])
                    .containsExactly(site[1] + "|" + site[2]);
        }
        for (Path scratch : List.of(scratchA, scratchB)) {
            List<String> log = Files.readAllLines(scratch.resolve("preamble.log"));
            assertThat(log).as("the preamble ran before commands and in jobs").contains("command");
            assertThat(log).anyMatch(l -> l.matches("[0-9]+"));
        }
        // b's job outputs: of its group, which may read them, and no one else
        Path out;
        try (var files = Files.walk(scratchB)) {
            out = files.filter(f -> f.toString().endsWith(".out")).findFirst().orElseThrow();
        }
        assertThat(Files.getAttribute(out, "posix:group").toString()).isEqualTo("amx-science");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(out)))
                .isEqualTo("rw-r-----");
        assertThat(Files.getAttribute(out.getParent(), "posix:group").toString())
                .isEqualTo("amx-science");
    }

    /** SIGSTOP to the sshd listener, then to every process under it (its sessions and their commands). */
    private static List<String> freeze(String listener) {
        List<String> stopped = new ArrayList<>(List.of(listener));
        signal("STOP", stopped);
        List<String> next = List.of(listener);
        while (!next.isEmpty()) {
            List<String> parents = next;
            List<String> children = TestServices.run("ps", "-e", "-o", "pid=,ppid=")
                    .lines()
                    .map(l -> l.strip().split("\\s+"))
                    .filter(f -> f.length == 2 && parents.contains(f[1]))
                    .map(f -> f[0])
                    .toList();
            signal("STOP", children);
            stopped.addAll(children);
            next = children;
        }
        return stopped;
    }

    private static void signal(String signal, List<String> pids) {
        for (String p : pids) {
            try {
                new ProcessBuilder("kill", "-" + signal, p).start().waitFor();
            } catch (Exception e) {
                throw new AssertionError("kill -" + signal + " " + p + ": " + e.getMessage(), e);
            }
        }
    }

    private static String offeredB(RunsDb db, String tag) throws Exception {
        return db.value("SELECT count(*) FROM runs WHERE name LIKE ?", "iso\\_" + tag + "\\_b%");
    }

    /** Milliseconds since the epoch on the database's clock, the one the jobs' timestamps use. */
    private static long epoch(RunsDb db) throws Exception {
        return Long.parseLong(db.value("SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint"));
    }
}
