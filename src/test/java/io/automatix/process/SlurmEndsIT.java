package io.automatix.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.automatix.testing.RunningRouter;
import io.automatix.testing.RunsDb;
import io.automatix.testing.TestHome;
import io.automatix.testing.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Why jobs end, told by the real SLURM with accounting (slurmdbd on MariaDB) over the real OpenSSH,
 * their failures pushed by the wrappers to the real RabbitMQ: a job over its --mem, one past its
 * walltime (warned with USR1, then TERM), one cancelled with scancel, one that exits 3 and one that
 * succeeds, each recorded with its reason, its words and SLURM's facts.
 */
class SlurmEndsIT {

    private static final String TAG = UUID.randomUUID().toString().substring(0, 6);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static String database;
    private static String vhost;
    private static RunningRouter router;
    private static RunsDb db;
    private static Path scratch;

    @BeforeAll
    static void start() throws Exception {
        TestServices.requireSshKey();
        database = TestServices.createDatabase();
        vhost = TestServices.createVirtualHost();
        db = new RunsDb(database);
        scratch = TestServices.sharedDirectory("scratch", true);
        Path home = TestHome.copyOfProject()
                .with("process/ends.sh.ftl", "templates/test/ends.sh.ftl")
                .with("process/ends.yaml", "pipelines/ends.yaml")
                .path();
        router = RunningRouter.builder()
                .home(home)
                .services(database, vhost)
                .sshHost("automatix.clusters.hpc")
                .property("automatix.clusters.hpc.scratch", scratch.toString())
                .property("automatix.clusters.hpc.push-url", "amqp://guest:guest@127.0.0.1:5672/" + vhost)
                .property("automatix.process.plan-ms", "500")
                .property("automatix.supervise.level", "0")
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (router != null) {
                router.close();
            }
        } finally {
            TestServices.dropDatabase(database);
            TestServices.deleteVirtualHost(vhost);
        }
    }

    @Test
    void eachJobSaysWhyItEnded() throws Exception {
        String run = "ends_" + TAG;
        db.ondeck(run, "hpc", "ends");
        String cancelled = run + ".cancelled.1";
        await().atMost(Duration.ofSeconds(60))
                .until(() ->
                        "running".equals(db.value("SELECT state FROM jobs WHERE scheduler_job_name = ?", cancelled)));
        TestServices.run(
                "scancel", db.value("SELECT scheduler_job_id FROM jobs WHERE scheduler_job_name = ?", cancelled));
        await().atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofSeconds(2))
                .until(() -> "0"
                        .equals(db.value(
                                "SELECT count(*) FROM jobs j JOIN runs r ON r.id = j.run_id"
                                        + " WHERE r.name = ? AND j.state IN ('pending', 'submitting', 'queued', 'running')",
                                run)));

        Map<String, String> ok = end(run + ".ok.1");
        assertThat(ok).containsEntry("state", "succeeded").containsEntry("end_reason", "COMPLETED");

        Map<String, String> exit3 = end(run + ".exit3.1");
        assertThat(exit3)
                .containsEntry("state", "failed")
                .containsEntry("exit_code", "3")
                .containsEntry("end_reason", "EXIT_CODE")
                .containsEntry("end_detail", "exit code 3")
                .containsEntry("scheduler_state", "FAILED");

        Map<String, String> oom = end(run + ".oom.1");
        assertThat(oom).containsEntry("state", "failed").containsEntry("end_reason", "OUT_OF_MEMORY");
        assertThat(oom.get("end_detail")).startsWith("out of memory: ").contains(" MiB (MaxRSS)");
        assertThat(Long.parseLong(oom.get("max_rss_bytes"))).isGreaterThanOrEqualTo(100L << 20);
        assertThat(oom.get("node")).isNotBlank();

        Map<String, String> late = end(run + ".late.1");
        assertThat(late).containsEntry("state", "failed").containsEntry("end_reason", "TIMEOUT");
        assertThat(late.get("end_detail"))
                .startsWith("walltime exceeded: ran 1 min")
                .endsWith("of its 1 min 00 s limit");
        assertThat(Files.readString(jobDirectory(run).resolve(run + ".late.1.status")))
                .as("the wrapper heard the warning and the end")
                .matches("(?s)finished 143 USR1 TERM [0-9.]+\\s*");

        Map<String, String> gone = end(cancelled);
        assertThat(gone).containsEntry("state", "lost").containsEntry("end_reason", "CANCELLED");
        assertThat(gone.get("end_detail")).isEqualTo("cancelled by root");

        // the API shows them, and the events say why each attempt ended
        JsonNode jobs = JSON.readTree(router.get("/api/runs/" + run).body()).get("jobs");
        for (JsonNode job : jobs) {
            assertThat(job.get("reason").asText()).as(job.get("name").asText()).isNotBlank();
        }
        assertThat(db.value(
                        "SELECT detail->>'reason' FROM events WHERE entity = 'job' AND entity_name = ?"
                                + " AND type = 'job.failed'",
                        run + ".oom.1"))
                .isEqualTo("OUT_OF_MEMORY");
    }

    private static Map<String, String> end(String job) throws Exception {
        return db.row(
                "SELECT state, exit_code::text, end_reason, end_detail, scheduler_state, max_rss_bytes::text, node"
                        + " FROM jobs WHERE scheduler_job_name = ?",
                job);
    }

    private static Path jobDirectory(String run) throws Exception {
        return Path.of(db.value(
                "SELECT coalesce(directory, ?) FROM jobs WHERE scheduler_job_name = ?",
                scratch.resolve(run).resolve(".automatix").toString(),
                run + ".late.1"));
    }
}
