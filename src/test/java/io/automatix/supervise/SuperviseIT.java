package io.automatix.supervise;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.GetResponse;
import io.automatix.testing.AmqpTestClient;
import io.automatix.testing.RunningRouter;
import io.automatix.testing.RunsDb;
import io.automatix.testing.SlurmJobs;
import io.automatix.testing.TcpProxy;
import io.automatix.testing.TestHome;
import io.automatix.testing.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The supervise flow on the real SLURM over the real OpenSSH, with the real RabbitMQ carrying its
 * queues and alerts. Clusters: hpc (automatic, level 2), hpc-notify (level 1, same machine), far
 * (level 2, reached through a TCP proxy we cut), local (level 2, with a supervision template that
 * does not render).
 */
class SuperviseIT {

    private static final String TAG = UUID.randomUUID().toString().substring(0, 6);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<JsonNode> ALERTS = new ArrayList<>();
    private static String database;
    private static String vhost;
    private static TcpProxy farLink;
    private static RunningRouter router;
    private static RunsDb db;

    @BeforeAll
    static void start() throws Exception {
        TestServices.requireSshKey();
        database = TestServices.createDatabase();
        vhost = TestServices.createVirtualHost();
        db = new RunsDb(database);
        Path scratch = TestServices.sharedDirectory("scratch", true);
        Path home = TestHome.copyOfProject()
                .with("supervise/fail-once.sh.ftl", "templates/test/fail-once.sh.ftl")
                .with("supervise/slow-once.sh.ftl", "templates/test/slow-once.sh.ftl")
                .with("supervise/fail-always.sh.ftl", "templates/test/fail-always.sh.ftl")
                .with("supervise/broken.sh.ftl", "templates/supervision/local/fail.sh.ftl")
                .with("supervise/supervised.yaml", "pipelines/supervised.yaml")
                .with("supervise/late.yaml", "pipelines/late.yaml")
                .with("supervise/lost.yaml", "pipelines/lost.yaml")
                .with("supervise/doomed.yaml", "pipelines/doomed.yaml")
                .path();
        farLink = new TcpProxy(TestServices.SSH_PORT);
        Path knownHosts = Files.createTempFile("known_hosts", "");
        Files.writeString(
                knownHosts,
                Files.readString(TestServices.SSH_KNOWN_HOSTS)
                        .replace("[127.0.0.1]:" + TestServices.SSH_PORT, "[127.0.0.1]:" + farLink.port()));
        String push = "amqp://guest:guest@127.0.0.1:5672/" + vhost;
        RunningRouter.Builder builder = RunningRouter.builder()
                .home(home)
                .services(database, vhost)
                .property("automatix.process.plan-ms", "500")
                .property("automatix.process.poll-min-ms", "500")
                .property("automatix.supervise.sweep-ms", "500")
                .property("automatix.supervise.late-grace-seconds", "1")
                .property("automatix.supervise.dispatch-attempts", "2")
                .property("automatix.supervise.dispatch-backoff-seconds", "1")
                .property("automatix.clusters.local.scratch", scratch.toString())
                .property("automatix.clusters.local.supervision-level", "2");
        for (String cluster : List.of("hpc", "hpc-notify")) {
            builder.sshHost("automatix.clusters." + cluster)
                    .property("automatix.clusters." + cluster + ".scratch", scratch.toString())
                    .property("automatix.clusters." + cluster + ".push-url", push);
        }
        builder.sshHost("automatix.clusters.far", farLink.port(), knownHosts)
                .property("automatix.clusters.far.scratch", scratch.toString())
                .property("automatix.clusters.far.push-url", push)
                .property("automatix.clusters.hpc.supervision-level", "2")
                .property("automatix.clusters.hpc-notify.supervision-level", "1")
                .property("automatix.clusters.far.supervision-level", "2");
        router = builder.start();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (router != null) {
                router.close();
            }
            if (farLink != null) {
                farLink.close();
            }
        } finally {
            TestServices.dropDatabase(database);
            TestServices.deleteVirtualHost(vhost);
        }
    }

    @Test
    void aJobThatFailsIsResubmittedByItsSupervisionAndTheRunCompletes() throws Exception {
        String run = "sup_" + TAG;
        db.ondeck(run, "hpc", "supervised");
        db.awaitProcessed(run, Duration.ofSeconds(120));
        Map<String, String> s = supervision(run);
        assertThat(s)
                .containsEntry("trigger", "failed")
                .containsEntry("dispatch_status", "dispatched")
                .containsEntry("execution_status", "succeeded")
                .containsEntry("linked_job_name", run + ".A.2")
                .containsEntry("dispatch_attempts", "1");
        assertThat(new String(Base64.getDecoder().decode(s.get("script")), StandardCharsets.UTF_8))
                .contains("sbatch --parsable --job-name=" + run + ".A.2");
        assertThat(db.value(
                        "SELECT state FROM jobs WHERE step = 'B' AND run_id = (SELECT id FROM runs WHERE name = ?)",
                        run))
                .isEqualTo("succeeded");
        assertThat(TestServices.run("scontrol", "-o", "show", "job"))
                .contains("JobName=" + run + ".A.1 ")
                .contains("JobName=" + run + ".A.2 ");

        // dispatched again, as after a router died or the connection broke once sbatch had run: the
        // script reports the job it submitted before and submits nothing
        String id = db.value("SELECT scheduler_job_id FROM jobs WHERE scheduler_job_name = ?", run + ".A.2");
        assertThat(dispatchAgain(s.get("script"))).contains("automatix-resubmitted " + id);
        SlurmJobs.now().one(run + ".A.2");
    }

    /** Runs a stored recovery script on the cluster as the router dispatches it: over SSH, decoded there. */
    private static String dispatchAgain(String base64Script) throws Exception {
        Process ssh = new ProcessBuilder(
                        "ssh",
                        "-p",
                        String.valueOf(TestServices.SSH_PORT),
                        "-i",
                        TestServices.SSH_KEY.toString(),
                        "-o",
                        "BatchMode=yes",
                        "-o",
                        "UserKnownHostsFile=" + TestServices.SSH_KNOWN_HOSTS,
                        TestServices.SSH_USER + "@127.0.0.1",
                        "base64 -d | sh -s")
                .redirectErrorStream(true)
                .start();
        try (var in = ssh.getOutputStream()) {
            in.write((base64Script + "\n").getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(ssh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ssh.waitFor()).as(out).isZero();
        return out;
    }

    @Test
    void aJobThatKeepsFailingIsSupervisedUpToTheLimitThenItsRunFails() throws Exception {
        String run = "limit_" + TAG;
        db.ondeck(run, "hpc", "doomed");
        await().atMost(Duration.ofSeconds(90))
                .until(() -> "failed".equals(db.value("SELECT processed_status FROM runs WHERE name = ?", run)));
        assertThat(db.value(
                        "SELECT string_agg(dispatch_status || '/' || coalesce(execution_status, '-'), ' ' ORDER BY s.id)"
                                + " FROM supervisions s JOIN runs r ON r.id = s.run_id WHERE r.name = ?",
                        run))
                .isEqualTo("dispatched/failed dispatched/failed dispatched/failed escalated/-");
        assertThat(alert(run).get("reason").asText()).startsWith("supervision limit: the job has had 3 supervisions");
        assertThat(db.value("SELECT last_error FROM runs WHERE name = ?", run))
                .isEqualTo("step A failed after 4 attempt(s): exit code 4");
        assertThat(db.value("SELECT state FROM jobs WHERE scheduler_job_name = ?", run + ".B.1"))
                .isEqualTo("cancelled");
    }

    @Test
    void aJobRunningPastItsExpectedTimeIsLateAndTheLateTemplateRestartsIt() throws Exception {
        String run = "late_" + TAG;
        db.ondeck(run, "hpc", "late");
        db.awaitProcessed(run, Duration.ofSeconds(120));
        assertThat(supervision(run))
                .containsEntry("trigger", "late")
                .containsEntry("dispatch_status", "dispatched")
                .containsEntry("execution_status", "succeeded");
        String first = TestServices.run("scontrol", "-o", "show", "job")
                .lines()
                .filter(l -> l.contains("JobName=" + run + ".A.1 "))
                .findFirst()
                .orElseThrow();
        assertThat(first).contains("JobState=CANCELLED"); // the late template cancelled it
    }

    @Test
    void aJobCancelledBehindTheRoutersBackIsLostAndResubmitted() throws Exception {
        String run = "lost_" + TAG;
        db.ondeck(run, "hpc", "lost");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> "running"
                        .equals(db.value("SELECT state FROM jobs WHERE scheduler_job_name = ?", run + ".A.1")));
        TestServices.run(
                "scancel", db.value("SELECT scheduler_job_id FROM jobs WHERE scheduler_job_name = ?", run + ".A.1"));
        db.awaitProcessed(run, Duration.ofSeconds(120));
        assertThat(supervision(run)).containsEntry("trigger", "lost").containsEntry("execution_status", "succeeded");
    }

    @Test
    void atLevelOneNothingRunsAndAnAlertCarriesTheScript() throws Exception {
        String run = "notify_" + TAG;
        db.ondeck(run, "hpc-notify", "supervised");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> "notified".equals(supervision(run).get("dispatch_status")));
        JsonNode alert = alert(run);
        assertThat(alert.get("level").asInt()).isEqualTo(1);
        assertThat(new String(
                        Base64.getDecoder().decode(alert.get("script_base64").asText()), StandardCharsets.UTF_8))
                .contains("sbatch");
        assertThat(db.value("SELECT processed_status FROM runs WHERE name = ?", run))
                .isEqualTo("failed");
        try (AmqpTestClient amqp = AmqpTestClient.rabbitmq(vhost)) { // the operators' copy
            assertThat(amqp.take("automatix.alerts.debug")).isNotNull();
            assertThat(amqp.take("automatix.supervisor.format.debug")).isNotNull();
        }
        Thread.sleep(2000);
        assertThat(TestServices.run("scontrol", "-o", "show", "job")).doesNotContain("JobName=" + run + ".A.2 ");
    }

    @Test
    void aDispatchToAnUnreachableClusterIsRetriedThenEscalated() throws Exception {
        String run = "far_" + TAG;
        db.ondeck(run, "far", "doomed");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> db.value("SELECT scheduler_job_id FROM jobs WHERE scheduler_job_name = ?", run + ".A.1")
                        != null);
        farLink.down(); // the job's failure still arrives, pushed over AMQP
        try {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> "escalated".equals(supervision(run).get("dispatch_status")));
        } finally {
            farLink.up();
        }
        Map<String, String> s = supervision(run);
        assertThat(s.get("dispatch_attempts")).isEqualTo("2");
        assertThat(s.get("dispatch_error")).startsWith("cluster unreachable after 2 dispatch attempts");
        assertThat(alert(run).get("reason").asText()).startsWith("cluster unreachable");
        assertThat(db.value("SELECT processed_status || ' ' || last_error FROM runs WHERE name = ?", run))
                .startsWith("failed step A failed after 1 attempt(s)");
        assertThat(db.value("SELECT state FROM jobs WHERE scheduler_job_name = ?", run + ".B.1"))
                .isEqualTo("cancelled");
    }

    @Test
    void aTemplateThatDoesNotRenderLeavesAClearErrorAndAnAlert() throws Exception {
        String run = "broken_" + TAG;
        db.ondeck(run, "local", "doomed");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> "failed".equals(supervision(run).get("dispatch_status")));
        assertThat(supervision(run).get("dispatch_error"))
                .startsWith("format: templates/supervision/local/fail.sh.ftl:2: ");
        assertThat(alert(run).get("reason").asText()).contains("cannot be formatted");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> "failed".equals(db.value("SELECT processed_status FROM runs WHERE name = ?", run)));
        assertThat(router.context()
                        .getRouteController()
                        .getRouteStatus("supervise-format")
                        .isStarted())
                .isTrue();
    }

    /** The run's (first) supervision, column by column; empty when it has none. */
    private static Map<String, String> supervision(String run) throws Exception {
        return db.row(
                "SELECT s.* FROM supervisions s JOIN runs r ON r.id = s.run_id WHERE r.name = ? ORDER BY s.id LIMIT 1",
                run);
    }

    /** The alert about a run, from automatix.alerts (read as operators would). */
    private static synchronized JsonNode alert(String run) throws Exception {
        try (AmqpTestClient amqp = AmqpTestClient.rabbitmq(vhost)) {
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline) {
                for (JsonNode a : ALERTS) {
                    if (run.equals(a.get("run").asText())) {
                        return a;
                    }
                }
                GetResponse m = amqp.take("automatix.alerts");
                if (m == null) {
                    Thread.sleep(200);
                } else {
                    ALERTS.add(JSON.readTree(m.getBody()));
                }
            }
        }
        throw new AssertionError("no alert about " + run + " on automatix.alerts; seen: " + ALERTS);
    }
}
