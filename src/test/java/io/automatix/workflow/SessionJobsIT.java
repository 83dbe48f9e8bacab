package io.automatix.workflow;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.automatix.testing.RunningRouter;
import io.automatix.testing.RunsDb;
import io.automatix.testing.SlurmJobs;
import io.automatix.testing.TestHome;
import io.automatix.testing.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A workflow step's jobs go the one submission path a run's jobs go, on the real SLURM over the real
 * OpenSSH: they share the cluster's cap on jobs in flight with the runs' jobs, and a step's job that
 * fails is supervised (and resubmitted) as a run's job is.
 */
class SessionJobsIT {

    private static final String TAG = UUID.randomUUID().toString().substring(0, 6);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static RunningRouter router;
    private static RunsDb db;
    private static Path workdir;

    @BeforeAll
    static void start() throws Exception {
        TestServices.requireSshKey();
        Path scratch = TestServices.sharedDirectory("scratch", true);
        workdir = TestServices.sharedDirectory("wf-jobs", true);
        Path nap = workdir.resolve("nap.sh");
        Files.writeString(nap, "#!/bin/sh\n#SBATCH --output=nap-%A_%a.out\nsleep 2\n");
        Files.setPosixFilePermissions(nap, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path home = TestHome.copyOfProject()
                .with("supervise/fail-once.sh.ftl", "templates/test/fail-once.sh.ftl")
                .path();
        router = RunningRouter.builder()
                .home(home)
                .sshHost("automatix.clusters.hpc")
                .property("automatix.clusters.hpc.scratch", scratch.toString())
                .property("automatix.clusters.hpc.max-jobs", "2")
                .property("automatix.clusters.hpc.supervision-level", "2")
                .property("automatix.workflow.default-cluster", "hpc")
                .property("automatix.workflow.locations.gpu_module", "standby")
                .property("automatix.workflow.watch-ms", "500")
                .property("automatix.process.plan-ms", "500")
                .property("automatix.process.poll-min-ms", "500")
                .property("automatix.process.poll-max-ms", "1000")
                .property("automatix.supervise.sweep-ms", "500")
                .start();
        db = new RunsDb(router.database());
    }

    @AfterAll
    static void stop() throws Exception {
        if (router != null) {
            router.close();
        }
    }

    @Test
    void aParametricStepAndRunsTogetherNeverHaveMoreJobsInFlightThanTheClustersCap() throws Exception {
        String session = "cap_" + TAG;
        String wdf = """
                workflow:
                  name: capped
                steps:
                - name: fan
                  location: gpu_module
                  command: "sbatch nap.sh"
                  parameters:
                    start: 0
                    step: 1
                    count: 6
                """;
        call("POST", "/api/sessions", Map.of("wdf", wdf, "session", session, "directory", workdir.toString()), 201);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> "active"
                        .equals(call("GET", "/api/sessions/" + session, null, 200)
                                .get("status")
                                .asText()));

        AtomicInteger most = new AtomicInteger();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                try {
                    int inFlight = Integer.parseInt(db.value("SELECT count(*) FROM jobs WHERE cluster = 'hpc'"
                            + " AND state IN ('submitting', 'queued', 'running')"));
                    most.accumulateAndGet(inFlight, Math::max);
                    Thread.sleep(20);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        sampler.start();
        try {
            call("POST", "/api/sessions/" + session + "/steps/fan", Map.of(), 202);
            for (int i = 0; i < 6; i++) {
                db.ondeck(String.format("cap_%s_%d", TAG, i), "hpc", "fulliautomatix");
            }
            await().atMost(Duration.ofSeconds(240))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> "12"
                            .equals(db.value(
                                    "SELECT count(*) FROM jobs WHERE cluster = 'hpc' AND state = 'succeeded'"
                                            + " AND (session_id = (SELECT id FROM workflow_sessions WHERE name = ?)"
                                            + " OR run_id IN (SELECT id FROM runs WHERE name LIKE ?))",
                                    session,
                                    "cap_" + TAG + "_%")));
        } finally {
            sampling.set(false);
            sampler.join();
        }
        assertThat(most.get()).as("jobs in flight on hpc at most").isBetween(1, 2);
        for (int i = 0; i < 6; i++) {
            db.awaitProcessed(String.format("cap_%s_%d", TAG, i), Duration.ofSeconds(30));
        }
        JsonNode step = awaitStep(session, "fan");
        assertThat(step.get("outcome").asText()).as(step.toString()).isEqualTo("succeeded");
        assertThat(step.get("jobs")).hasSize(6);
        assertThat(step.get("jobs_by_state").get("succeeded").asInt()).isEqualTo(6);
        // the engine's events for the step's jobs are the runs' ones: pending, then claimed and submitted
        assertThat(db.column(
                        "SELECT coalesce(from_state, '') || '>' || to_state FROM events WHERE entity = 'job' AND entity_name = ?"
                                + " ORDER BY id",
                        step.get("jobs").get(0).get("name").asText()))
                .startsWith(">pending", "pending>submitting");
    }

    @Test
    void aStepsJobThatFailsIsSupervisedAndResubmittedAsARunsJobIs() throws Exception {
        String session = "flaky_" + TAG;
        String wdf = """
                workflow:
                  name: flaky
                steps:
                - name: flaky
                  location: gpu_module
                  template: test/fail-once.sh.ftl
                """;
        long id = startSession(session, wdf);
        JsonNode step = runStep(session, "flaky");
        assertThat(step.get("outcome").asText()).as(step.toString()).isEqualTo("succeeded");

        String first = "wf-" + id + ".flaky.1";
        String next = first + "-a2";
        Map<String, String> s = db.row(
                "SELECT s.* FROM supervisions s JOIN jobs j ON j.id = s.job_id WHERE j.session_id = ?"
                        + " ORDER BY s.id LIMIT 1",
                id);
        assertThat(s)
                .containsEntry("trigger", "failed")
                .containsEntry("dispatch_status", "dispatched")
                .containsEntry("execution_status", "succeeded")
                .containsEntry("linked_job_name", next);
        assertThat(new String(Base64.getDecoder().decode(s.get("script")), StandardCharsets.UTF_8))
                .contains("sbatch --parsable --job-name=" + next);
        // SLURM ran both attempts, each once (by id: names start again in each test database)
        String firstId = db.value(
                "SELECT detail->>'scheduler_job_id' FROM events WHERE entity_name = ? AND to_state = 'failed'", first);
        String nextId = db.value("SELECT scheduler_job_id FROM jobs WHERE scheduler_job_name = ?", next);
        assertThat(SlurmJobs.now().jobs().stream()
                        .filter(j -> firstId.equals(j.get("JobId")) || nextId.equals(j.get("JobId")))
                        .map(j -> j.get("JobName"))
                        .toList())
                .containsExactlyInAnyOrder(first, next);
        assertThat(step.get("jobs").get(0).get("state").asText()).isEqualTo("succeeded");
    }

    @Test
    void aStepWithRetriesHasItsFailedJobSubmittedAgainByTheEngineBeforeAnySupervision() throws Exception {
        String session = "retried_" + TAG;
        String wdf = """
                workflow:
                  name: retried
                steps:
                - name: retried
                  location: gpu_module
                  template: test/fail-once.sh.ftl
                  retries: 1
                """;
        long id = startSession(session, wdf);
        JsonNode step = runStep(session, "retried");
        assertThat(step.get("outcome").asText()).as(step.toString()).isEqualTo("succeeded");

        String first = "wf-" + id + ".retried.1";
        assertThat(db.row("SELECT attempt, max_attempts, scheduler_job_name, state FROM jobs WHERE session_id = ?", id))
                .containsEntry("attempt", "2")
                .containsEntry("max_attempts", "2")
                .containsEntry("scheduler_job_name", first + "-a2")
                .containsEntry("state", "succeeded");
        assertThat(db.value(
                        "SELECT count(*) FROM supervisions s JOIN jobs j ON j.id = s.job_id WHERE j.session_id = ?",
                        id))
                .isEqualTo("0");
    }

    // --- helpers -----------------------------------------------------------------------------------

    private static JsonNode call(String method, String path, Object body, int expected) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(router.url(path)))
                .timeout(Duration.ofSeconds(20))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TestServices.API_TOKEN)
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as(method + " " + path + ": " + response.body())
                .isEqualTo(expected);
        return JSON.readTree(response.body());
    }

    private static JsonNode step(String session, String step) throws Exception {
        JsonNode status = call("GET", "/api/sessions/" + session, null, 200);
        for (String list : new String[] {"active_steps", "terminated_steps"}) {
            for (JsonNode s : status.get(list)) {
                if (s.get("step").asText().equals(step)) {
                    return s;
                }
            }
        }
        throw new AssertionError("no step " + step + " in " + status);
    }

    /** Starts a session of the WDF and waits until it is active; returns its id. */
    private static long startSession(String session, String wdf) throws Exception {
        long id = call("POST", "/api/sessions", Map.of("wdf", wdf, "session", session), 201)
                .get("id")
                .asLong();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> "active"
                        .equals(call("GET", "/api/sessions/" + session, null, 200)
                                .get("status")
                                .asText()));
        return id;
    }

    /** Runs the session's step and waits until it has stopped. */
    private static JsonNode runStep(String session, String step) throws Exception {
        call("POST", "/api/sessions/" + session + "/steps/" + step, Map.of(), 202);
        return awaitStep(session, step);
    }

    private static JsonNode awaitStep(String session, String step) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> {
                    last[0] = step(session, step);
                    return "stopped".equals(last[0].get("status").asText());
                });
        return last[0];
    }
}
