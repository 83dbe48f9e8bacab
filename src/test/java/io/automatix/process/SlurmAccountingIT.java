package io.automatix.process;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.GetResponse;
import io.automatix.testing.AmqpTestClient;
import io.automatix.testing.RunningRouter;
import io.automatix.testing.RunsDb;
import io.automatix.testing.Slurmdbd;
import io.automatix.testing.TestHome;
import io.automatix.testing.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * slurmdbd stopped mid-run, on the real SLURM over the real OpenSSH: while sacct fails, the job that
 * succeeded is concluded from squeue and its status file, the one SLURM killed for its memory waits
 * (only the accounting can say why it ended), the job after the first is submitted and concluded,
 * and health and one alert say that the accounting does not answer, the router staying ready. Once
 * slurmdbd is back the waiting job is concluded failed and the warning clears.
 */
class SlurmAccountingIT {

    private static final String TAG = UUID.randomUUID().toString().substring(0, 6);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static String database;
    private static String vhost;
    private static RunningRouter router;
    private static RunsDb db;

    @BeforeAll
    static void start() throws Exception {
        TestServices.requireSshKey();
        Slurmdbd.ensureRunning();
        database = TestServices.createDatabase();
        vhost = TestServices.createVirtualHost();
        db = new RunsDb(database);
        Path scratch = TestServices.sharedDirectory("scratch", true);
        Path home = TestHome.copyOfProject()
                .with("process/ends.sh.ftl", "templates/test/ends.sh.ftl")
                .with("process/accounting.yaml", "pipelines/accounting.yaml")
                .path();
        router = RunningRouter.builder()
                .home(home)
                .services(database, vhost)
                .sshHost("automatix.clusters.hpc")
                .property("automatix.clusters.hpc.scratch", scratch.toString())
                .property("automatix.process.plan-ms", "500")
                .property("automatix.process.poll-max-ms", "2000")
                .property("automatix.process.accounting-check-ms", "500")
                .property("automatix.supervise.level", "0")
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            Slurmdbd.ensureRunning(); // whatever failed, the machine's accounting is back for the other tests
        } finally {
            try {
                if (router != null) {
                    router.close();
                }
            } finally {
                TestServices.dropDatabase(database);
                TestServices.deleteVirtualHost(vhost);
            }
        }
    }

    @Test
    void jobsOnlyTheAccountingCanExplainWaitForItAndNothingElseDoes() throws Exception {
        String run = "acct_" + TAG;
        db.ondeck(run, "hpc", "accounting");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> "2"
                        .equals(db.value(
                                "SELECT count(*) FROM jobs WHERE state = 'running' AND scheduler_job_name IN (?, ?)",
                                run + ".ok.1",
                                run + ".oom.1")));
        long down = System.nanoTime();
        try {
            Slurmdbd.stop();
            // both end about 8 s after they started: the first succeeds, SLURM kills the other for its memory
            await().atMost(Duration.ofSeconds(40))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> "succeeded".equals(state(run + ".then.1")));
            assertThat(end(run + ".ok.1")).containsEntry("state", "succeeded").containsEntry("exit_code", "0");
            await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> TestServices.run("squeue", "-h", "-t", "all", "-n", run + ".oom.1", "-o", "%T")
                            .strip()
                            .matches("FAILED|OUT_OF_MEMORY|CANCELLED|COMPLETED"));
            Thread.sleep(4_000); // two polls more, at most 2 s apart: none may conclude it
            assertThat(state(run + ".oom.1"))
                    .as("the job SLURM ended, which only its accounting can explain, waits")
                    .isIn("running", "queued");
            String health = router.get("/observe/health").body();
            assertThat(health).contains("the accounting of hpc does not answer since");
            assertThat(router.get("/observe/health/ready").statusCode())
                    .as("ready while only the accounting is out")
                    .isEqualTo(200);
            await().atMost(Duration.ofSeconds(5)).until(() -> alerts("hpc") == 1);
        } finally {
            Slurmdbd.ensureRunning();
            System.out.printf("SlurmAccountingIT: slurmdbd was down for %.1f s%n", (System.nanoTime() - down) / 1e9);
        }
        long back = System.nanoTime();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> "failed".equals(state(run + ".oom.1")));
        Map<String, String> oom = end(run + ".oom.1");
        System.out.printf(
                "SlurmAccountingIT: the job over its memory concluded %.1f s after slurmdbd was back: %s%n",
                (System.nanoTime() - back) / 1e9, oom);
        assertThat(oom.get("scheduler_state")).isIn("FAILED", "OUT_OF_MEMORY");
        assertThat(oom.get("end_reason")).isIn("OUT_OF_MEMORY", "SIGNALLED", "EXIT_CODE");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !router.get("/observe/health").body().contains("does not answer"));
        assertThat(alerts("hpc")).as("no second alert for the same outage").isZero();
        assertThat(db.value("SELECT processed_status FROM runs WHERE name = ?", run))
                .isEqualTo("failed");
    }

    private static String state(String job) throws Exception {
        return db.value("SELECT state FROM jobs WHERE scheduler_job_name = ?", job);
    }

    private static Map<String, String> end(String job) throws Exception {
        return db.row(
                "SELECT state, exit_code::text, end_reason, end_detail, scheduler_state, max_rss_bytes::text, node"
                        + " FROM jobs WHERE scheduler_job_name = ?",
                job);
    }

    /** Takes every alert waiting; how many were accounting outages of the cluster (each checked to say since when and what to do). */
    private static int alerts(String cluster) throws Exception {
        int count = 0;
        try (AmqpTestClient amqp = AmqpTestClient.rabbitmq(vhost)) {
            for (GetResponse m = amqp.take("automatix.alerts"); m != null; m = amqp.take("automatix.alerts")) {
                JsonNode alert = JSON.readTree(new String(m.getBody(), StandardCharsets.UTF_8));
                if (alert.path("type").asText().equals("accounting-outage")) {
                    assertThat(alert.path("cluster").asText()).isEqualTo(cluster);
                    assertThat(alert.path("since").asText()).isNotBlank();
                    assertThat(alert.path("fix").asText()).contains("slurmdbd");
                    count++;
                }
            }
        }
        return count;
    }
}
