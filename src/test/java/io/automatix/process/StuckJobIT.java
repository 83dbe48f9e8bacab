package io.automatix.process;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.GetResponse;
import io.automatix.testing.AmqpTestClient;
import io.automatix.testing.RunningRouter;
import io.automatix.testing.RunsDb;
import io.automatix.testing.TestHome;
import io.automatix.testing.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Refusals that don't loop forever, on the real SLURM (accounting enforced, QOS tiny: MaxWall 1 min,
 * DenyOnLimit) over the real OpenSSH, alerts read from the real RabbitMQ: a step asking 5 min under
 * QOS tiny is refused every time, each time waiting longer (back-off 1 s, at most 2 s); after 3
 * refusals it is a stuck incident with SLURM's words and exactly one alert, and it keeps waiting,
 * refusals counted, until its run is cancelled, which closes the incident. A step under an account
 * SLURM does not know fails at once with SLURM's words, and is not stuck.
 */
class StuckJobIT {

    private static final String TAG = UUID.randomUUID().toString().substring(0, 6);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String QOS_WORDS = "Job violates accounting/QOS policy";
    private static String database;
    private static String vhost;
    private static RunningRouter router;
    private static RunsDb db;
    private static Path home;

    @BeforeAll
    static void start() throws Exception {
        TestServices.requireSshKey();
        database = TestServices.createDatabase();
        vhost = TestServices.createVirtualHost();
        db = new RunsDb(database);
        Path scratch = TestServices.sharedDirectory("scratch", true);
        home = TestHome.copyOfProject()
                .with("process/ends.sh.ftl", "templates/test/ends.sh.ftl")
                .with("process/stuck.yaml", "pipelines/stuck.yaml")
                .with("process/no-account.yaml", "pipelines/no-account.yaml")
                .with("process/stuck-fixable.yaml", "pipelines/stuck-fixable.yaml")
                .path();
        router = RunningRouter.builder()
                .home(home)
                .services(database, vhost)
                .sshHost("automatix.clusters.hpc")
                .property("automatix.clusters.hpc.scratch", scratch.toString())
                .property("automatix.process.plan-ms", "500")
                .property("automatix.process.submit-ms", "500")
                .property("automatix.process.backoff-seconds", "1")
                .property("automatix.process.backoff-max-seconds", "2")
                .property("automatix.process.stuck-after-refusals", "3")
                .property("automatix.supervise.sweep-ms", "500")
                .property("automatix.supervise.level", "1")
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
    void aJobTheQosKeepsRefusingIsOneStuckIncidentAndWaitsUntilItsRunIsCancelled() throws Exception {
        String run = "stuck_" + TAG;
        String job = run + ".wait.1";
        db.ondeck(run, "hpc", "stuck");
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> db.value(
                                "SELECT s.id FROM supervisions s JOIN jobs j ON j.id = s.job_id"
                                        + " WHERE j.scheduler_job_name = ? AND s.trigger = 'stuck'",
                                job)
                        != null);
        Map<String, String> incident = stuckSupervision(job);
        assertThat(incident)
                .containsEntry("dispatch_status", "notified")
                .containsEntry("level", "1")
                .containsEntry("attempt", "1")
                .containsEntry("script", null)
                .containsEntry("closed_at", null);
        assertThat(incident.get("detail"))
                .as("SLURM's own words")
                .contains("QOSMaxWallDurationPerJobLimit")
                .contains(QOS_WORDS);

        // the one alert: which job, which cluster, since when, how many refusals, SLURM's words, what to do
        List<JsonNode> alerts = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    takeAlerts(alerts);
                    return stuckAlerts(alerts, job).size() == 1;
                });
        JsonNode alert = stuckAlerts(alerts, job).get(0);
        assertThat(alert.path("type").asText()).isEqualTo("supervision");
        assertThat(alert.path("supervision").asText()).isEqualTo(incident.get("id"));
        assertThat(alert.path("cluster").asText()).isEqualTo("hpc");
        assertThat(alert.path("run").asText()).isEqualTo(run);
        assertThat(alert.path("step").asText()).isEqualTo("wait");
        assertThat(alert.path("refusals").asInt()).isGreaterThanOrEqualTo(3);
        Instant since = Instant.parse(alert.path("since").asText());
        assertThat(since.getEpochSecond() + since.getNano() / 1e9)
                .as("since the first refusal")
                .isCloseTo(
                        Double.parseDouble(db.value(
                                "SELECT extract(epoch FROM refused_since)::text FROM jobs WHERE scheduler_job_name = ?",
                                job)),
                        within(1e-5));
        assertThat(alert.path("reason").asText()).isEqualTo(incident.get("detail"));
        assertThat(alert.path("fix").asText())
                .contains("job " + job)
                .contains("pipeline")
                .contains("automatix runs cancel " + run);

        // it keeps waiting (not failed), refusals counted, SLURM asked less and less often
        int atAlert = alert.path("refusals").asInt();
        await().atMost(Duration.ofSeconds(40))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> Integer.parseInt(db.value("SELECT refusals FROM jobs WHERE scheduler_job_name = ?", job))
                        >= atAlert + 3);
        Map<String, String> waiting = db.row(
                "SELECT state, attempt, scheduler_job_id, refusals, refusal, refused_since FROM jobs"
                        + " WHERE scheduler_job_name = ?",
                job);
        assertThat(waiting.get("state")).isIn("pending", "submitting");
        assertThat(waiting)
                .containsEntry("attempt", "1")
                .containsEntry("scheduler_job_id", null)
                .containsEntry("refusal", incident.get("detail"));
        assertThat(db.value("SELECT processed_status FROM runs WHERE name = ?", run))
                .as("not failed: nothing of it was submitted yet")
                .isEqualTo("queued");
        List<String> refusalTimes = db.column(
                "SELECT extract(epoch FROM at)::text FROM events"
                        + " WHERE entity = 'job' AND entity_name = ? AND type = 'job.pending' AND detail->>'refusals' IS NOT NULL"
                        + " ORDER BY id",
                job);
        assertThat(refusalTimes.size()).isGreaterThanOrEqualTo(atAlert + 3);
        for (int i = 1; i < refusalTimes.size(); i++) {
            double gap = Double.parseDouble(refusalTimes.get(i)) - Double.parseDouble(refusalTimes.get(i - 1));
            assertThat(gap)
                    .as("wait after refusal %d: 1 s, then doubled, at most 2 s", i)
                    .isGreaterThanOrEqualTo(i == 1 ? 1.0 : 2.0);
        }
        assertThat(db.column(
                        "SELECT (detail->>'refusals') || ' ' || (detail->>'refusal') FROM events"
                                + " WHERE entity = 'job' AND entity_name = ? AND type = 'job.pending'"
                                + " AND detail->>'refusals' IS NOT NULL ORDER BY id LIMIT 2",
                        job))
                .as("each refusal is an event with its count and SLURM's words")
                .containsExactly("1 " + incident.get("detail"), "2 " + incident.get("detail"));

        takeAlerts(alerts);
        assertThat(stuckAlerts(alerts, job))
                .as("one alert per job and attempt, not one per back-off")
                .hasSize(1);
        assertThat(db.value(
                        "SELECT count(*) FROM supervisions s JOIN jobs j ON j.id = s.job_id"
                                + " WHERE j.scheduler_job_name = ?",
                        job))
                .isEqualTo("1");

        // the API shows the refusals and the incident
        JsonNode jobs = JSON.readTree(router.get("/api/jobs?run=" + run).body());
        assertThat(jobs.get(0).path("refusals").asInt()).isGreaterThanOrEqualTo(atAlert + 3);
        assertThat(jobs.get(0).path("refusal").asText()).contains(QOS_WORDS);
        JsonNode supervisions =
                JSON.readTree(router.get("/api/supervisions?run=" + run).body());
        assertThat(supervisions.get(0).path("trigger").asText()).isEqualTo("stuck");
        assertThat(supervisions.get(0).path("detail").asText()).contains(QOS_WORDS);

        // cancelling the run closes the incident
        assertThat(router.postJson("/api/runs/" + run + "/cancel", "{}").statusCode())
                .isEqualTo(200);
        assertThat(db.value("SELECT state FROM jobs WHERE scheduler_job_name = ?", job))
                .isEqualTo("cancelled");
        Map<String, String> closed = stuckSupervision(job);
        assertThat(closed.get("closed_at")).isNotNull();
        assertThat(closed).containsEntry("closed_as", "cancelled");
        assertThat(db.value(
                        "SELECT detail->>'closed_as' FROM events WHERE entity = 'supervision' AND entity_id = ?"
                                + " AND type = 'supervision.closed'",
                        Long.parseLong(incident.get("id"))))
                .isEqualTo("cancelled");
        assertThat(db.value("SELECT refusals FROM jobs WHERE scheduler_job_name = ?", job))
                .as("cleared with the attempt's end")
                .isEqualTo("0");
        Thread.sleep(2_000); // a sweep or two: nothing more about it
        takeAlerts(alerts);
        assertThat(stuckAlerts(alerts, job)).hasSize(1);
    }

    @Test
    void aStuckJobWhoseRequestIsFixedInItsPipelineIsSubmittedAndItsIncidentCloses() throws Exception {
        String run = "fixed_" + TAG;
        String job = run + ".wait.1";
        db.ondeck(run, "hpc", "stuck-fixable");
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> !stuckSupervision(job).isEmpty());
        Path pipeline = home.resolve("pipelines/stuck-fixable.yaml");
        Files.writeString(pipeline, Files.readString(pipeline).replace("qos: tiny", "qos: normal"));
        db.awaitProcessed(run, Duration.ofSeconds(90));
        Map<String, String> closed = stuckSupervision(job);
        assertThat(closed.get("closed_at")).isNotNull();
        assertThat(closed).containsEntry("closed_as", "submitted").containsEntry("dispatch_status", "notified");
        assertThat(db.row(
                        "SELECT state, attempt, refusals, refused_since, refusal FROM jobs WHERE scheduler_job_name = ?",
                        job))
                .as("its refusals are over")
                .containsEntry("state", "succeeded")
                .containsEntry("attempt", "1")
                .containsEntry("refusals", "0")
                .containsEntry("refused_since", null)
                .containsEntry("refusal", null);
    }

    @Test
    void anAccountSlurmDoesNotKnowFailsAtOnceWithSlurmsWords() throws Exception {
        String run = "noacct_" + TAG;
        String job = run + ".wait.1";
        db.ondeck(run, "hpc", "no-account");
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> "failed".equals(db.value("SELECT state FROM jobs WHERE scheduler_job_name = ?", job)));
        Map<String, String> failed = db.row(
                "SELECT attempt, refusals, last_error, scheduler_job_id FROM jobs WHERE scheduler_job_name = ?", job);
        assertThat(failed)
                .containsEntry("attempt", "1")
                .containsEntry("refusals", "0")
                .containsEntry("scheduler_job_id", null);
        assertThat(failed.get("last_error"))
                .isEqualTo("rejected by the scheduler: sbatch: error: Batch job submission failed:"
                        + " Invalid account or account/partition combination specified");
        assertThat(db.value("SELECT last_error FROM runs WHERE name = ?", run))
                .contains("Invalid account or account/partition combination specified");
        assertThat(db.value(
                        "SELECT count(*) FROM events WHERE entity = 'job' AND entity_name = ? AND type = 'job.pending'",
                        job))
                .as("never put back to wait")
                .isEqualTo("1");
        assertThat(db.value(
                        "SELECT count(*) FROM supervisions s JOIN jobs j ON j.id = s.job_id"
                                + " WHERE j.scheduler_job_name = ? AND s.trigger = 'stuck'",
                        job))
                .isEqualTo("0");
    }

    private static Map<String, String> stuckSupervision(String job) throws Exception {
        return db.row(
                "SELECT s.* FROM supervisions s JOIN jobs j ON j.id = s.job_id"
                        + " WHERE j.scheduler_job_name = ? AND s.trigger = 'stuck'",
                job);
    }

    /** Takes every alert waiting on automatix.alerts, as operators would read them. */
    private static synchronized void takeAlerts(List<JsonNode> into) throws Exception {
        try (AmqpTestClient amqp = AmqpTestClient.rabbitmq(vhost)) {
            for (GetResponse m = amqp.take("automatix.alerts"); m != null; m = amqp.take("automatix.alerts")) {
                into.add(JSON.readTree(new String(m.getBody(), StandardCharsets.UTF_8)));
            }
        }
    }

    private static List<JsonNode> stuckAlerts(List<JsonNode> alerts, String job) {
        return alerts.stream()
                .filter(a -> "stuck".equals(a.path("trigger").asText())
                        && job.equals(a.path("job").asText()))
                .toList();
    }
}
