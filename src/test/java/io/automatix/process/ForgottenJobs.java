package io.automatix.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.automatix.testing.RunningRouter;
import io.automatix.testing.RunsDb;
import io.automatix.testing.TestHome;
import io.automatix.testing.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A router down for longer than MinJobAge: SLURM (MinJobAge set to 2 s for the test) has forgotten
 * the 20 jobs that ended meanwhile, 8 of them failing, and the restarted router still concludes
 * each correctly. The subclasses say what the cluster's login is like: one whose sacct answers
 * (MinJobAgeIT), one whose site keeps no accounting (MinJobAgeWithoutAccountingIT).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ForgottenJobs {

    private static final Path SLURM_CONF = Path.of("/etc/slurm/slurm.conf");
    private final String tag = UUID.randomUUID().toString().substring(0, 6);
    private String database;
    private String vhost;
    private RunsDb db;
    private Path home;
    private Path scratch;
    private String conf;

    /** The cluster's preamble (its site setting), "" for none. */
    abstract String preamble() throws Exception;

    /** Whether sacct answers there (and so tells each job's node). */
    abstract boolean accounting();

    @BeforeAll
    void start() throws Exception {
        TestServices.requireSshKey();
        database = TestServices.createDatabase();
        vhost = TestServices.createVirtualHost();
        db = new RunsDb(database);
        scratch = TestServices.sharedDirectory("scratch", true);
        home = TestHome.copyOfProject()
                .with("process/ends.sh.ftl", "templates/test/ends.sh.ftl")
                .with("process/ends-slow.yaml", "pipelines/ends-slow.yaml")
                .path();
        conf = Files.readString(SLURM_CONF);
        minJobAge(conf.replaceAll("(?m)^MinJobAge=.*$", "MinJobAge=2"));
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (conf != null) {
                minJobAge(conf);
            }
        } finally {
            TestServices.dropDatabase(database);
            TestServices.deleteVirtualHost(vhost);
        }
    }

    @Test
    void aRouterDownLongerThanMinJobAgeConcludesEveryJob() throws Exception {
        String prefix = accounting() ? "mja_" : "mjo_";
        List<String> runs = List.of(prefix + "a_" + tag, prefix + "b_" + tag, prefix + "c_" + tag, prefix + "d_" + tag);
        try (RunningRouter router = router()) {
            for (String run : runs) {
                db.ondeck(run, "hpc", "ends-slow");
            }
            await().atMost(Duration.ofSeconds(60))
                    .until(() ->
                            "20".equals(db.value("SELECT count(*) FROM jobs WHERE state IN ('queued', 'running')")));
        }
        Thread.sleep(30_000); // every job ends (8 s each, 16 at a time) and SLURM forgets it 2 s later
        assertThat(TestServices.run("squeue", "-h", "-t", "all", "-n", String.join(",", names(runs)), "-o", "%i")
                        .strip())
                .as("SLURM has forgotten them")
                .isEmpty();
        try (RunningRouter router = router()) {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() ->
                            "0".equals(db.value("SELECT count(*) FROM jobs WHERE state IN ('queued', 'running')")));
        }
        assertThat(db.column("SELECT state || ' ' || coalesce(exit_code::text, '-') || ' ' || end_reason || ' '"
                        + " || (node IS NOT NULL) FROM jobs ORDER BY scheduler_job_name"))
                .as("state, exit code, reason and whether sacct told the node")
                .hasSize(20)
                .containsOnly("succeeded 0 COMPLETED " + accounting(), "failed 3 EXIT_CODE " + accounting())
                .filteredOn(s -> s.startsWith("failed"))
                .hasSize(8);
    }

    private RunningRouter router() throws Exception {
        return RunningRouter.builder()
                .home(home)
                .services(database, vhost)
                .sshHost("automatix.clusters.hpc")
                .property("automatix.clusters.hpc.scratch", scratch.toString())
                .property("automatix.clusters.hpc.preamble", preamble())
                .property("automatix.process.plan-ms", "500")
                .property("automatix.process.poll-max-ms", "2000")
                .property("automatix.supervise.level", "0")
                .start();
    }

    private static List<String> names(List<String> runs) {
        return runs.stream()
                .flatMap(r -> List.of("a", "b", "c", "d", "e").stream().map(s -> r + "." + s + ".1"))
                .toList();
    }

    /** slurmctld with this configuration: MinJobAge is read again by scontrol reconfigure. */
    private static void minJobAge(String configuration) throws Exception {
        Files.writeString(SLURM_CONF, configuration);
        TestServices.run("scontrol", "reconfigure");
        String age = configuration.replaceAll("(?s).*\\nMinJobAge=(\\d+).*", "$1");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> TestServices.run("scontrol", "show", "config")
                        .matches("(?s).*MinJobAge\\s+= " + age + " sec.*"));
    }
}
