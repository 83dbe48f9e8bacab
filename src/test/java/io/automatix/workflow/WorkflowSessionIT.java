package io.automatix.workflow;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.automatix.api.ApiUsers;
import io.automatix.testing.RunningRouter;
import io.automatix.testing.RunsDb;
import io.automatix.testing.TestHome;
import io.automatix.testing.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Workflow sessions on the real SLURM over the real OpenSSH, with the real PostgreSQL, and data
 * movers writing to a directory tier on the cluster (flash) and to the S3-compatible store (tape),
 * all through the REST API as two users, alice and bob.
 */
class WorkflowSessionIT {

    private static final String TAG = UUID.randomUUID().toString().substring(0, 6);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static RunningRouter router;
    private static RunsDb db;
    private static Path scratch;
    private static Path flash;
    private static Path workdir;

    @BeforeAll
    static void start() throws Exception {
        TestServices.requireSshKey();
        scratch = TestServices.sharedDirectory("scratch", true);
        flash = TestServices.sharedDirectory("flash", true);
        workdir = TestServices.sharedDirectory("wf-user", true);
        script("My_Step_A", "test -d \"$AUTOMATIX_SERVICE_EPHEMERAL_SERVICE_1\" || exit 4\nsleep 1");
        script(
                "My_Step_B",
                "cd \"$AUTOMATIX_SERVICE_EPHEMERAL_SERVICE_2\" || exit 4\n"
                        + "test -f gauges/g1.hdf5 || exit 5\necho out > gauges/b_$SLURM_JOB_ID.hdf5");
        script("fan.sh", "echo \"task $SLURM_ARRAY_TASK_ID of $AUTOMATIX_PARAMETERS\" > /dev/null");
        script("sleep.sh", "sleep \"$1\"");
        Path home = TestHome.copyOfProject()
                .with("workflow/fan.yaml", "workflows/fan.yaml")
                .with("workflow/slow.yaml", "workflows/slow.yaml")
                .with("workflow/dag.yaml", "workflows/dag.yaml")
                .path();
        router = RunningRouter.builder()
                .home(home)
                .sshHost("automatix.clusters.hpc")
                .property("automatix.clusters.hpc.scratch", scratch.toString())
                .property("automatix.workflow.default-cluster", "hpc")
                .property("automatix.workflow.tiers.flash", flash.toString())
                .property("automatix.workflow.locations.gpu_module", "standby")
                .property("automatix.workflow.watch-ms", "500")
                .property("automatix.process.poll-max-ms", "2000")
                .property(
                        "automatix.api.users",
                        "alice:" + ApiUsers.sha256("alice-token") + ",bob:" + ApiUsers.sha256("bob-token"))
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
    void theSeedSampleRunsStepAThenStepBWithItsDataMoversIntoFlashAndTape() throws Exception {
        String session = "sample_" + TAG;
        JsonNode started = call(
                "alice",
                "POST",
                "/api/sessions",
                Map.of(
                        "workflow",
                        "iosea-sample",
                        "session",
                        session,
                        "directory",
                        workdir.toString(),
                        "variables",
                        Map.of("NS1", "ns_one", "NS2", "ns_two")),
                201);
        long id = started.get("id").asLong();
        awaitSession("alice", session, "active");
        Path es2 = scratch.resolve("sessions/" + id + "/services/ns_two");
        assertThat(scratch.resolve("sessions/" + id + "/services/ns_one")).isDirectory();
        // the dataset the steps work on: two gauges and an input file in ephemeral_service_2's namespace
        for (String file : List.of("gauges/g1.hdf5", "gauges/g2.hdf5", "input/in.dat", "gauges/notes.txt")) {
            Path p = es2.resolve(file);
            Files.createDirectories(
                    p.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
            Files.setPosixFilePermissions(p.getParent(), PosixFilePermissions.fromString("rwxrwxrwx"));
            Files.writeString(p, "data of " + file);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-rw-rw-"));
        }

        call("alice", "POST", "/api/sessions/" + session + "/steps/step_A", Map.of(), 202);
        JsonNode a = awaitStep("alice", session, "step_A");
        assertThat(a.get("outcome").asText()).isEqualTo("succeeded");
        call("alice", "POST", "/api/sessions/" + session + "/steps/step_B", Map.of(), 202);
        JsonNode b = awaitStep("alice", session, "step_B");
        assertThat(b.get("outcome").asText()).as(b.toString()).isEqualTo("succeeded");

        // datamover1 copied the gauges and the input into flash at step_B's start (before step_B wrote its own)
        Path copied = flash.resolve("alice/" + session);
        assertThat(copied.resolve("gauges/g1.hdf5")).hasContent("data of gauges/g1.hdf5");
        assertThat(copied.resolve("input/in.dat")).exists();
        assertThat(copied.resolve("gauges/notes.txt")).doesNotExist();
        try (var files = Files.list(copied.resolve("gauges"))) {
            assertThat(files.count()).isEqualTo(2);
        }
        // datamover2 moved every gauge, step_B's own included, to tape (S3) at its end
        S3Client s3 = router.context().getRegistry().lookupByNameAndType("amazonS3Client", S3Client.class);
        List<String> keys = s3
                .listObjectsV2(r -> r.bucket("automatix-archive").prefix("tape/alice/" + session + "/"))
                .contents()
                .stream()
                .map(o -> o.key())
                .toList();
        assertThat(keys)
                .hasSize(3)
                .contains("tape/alice/" + session + "/gauges/g1.hdf5", "tape/alice/" + session + "/gauges/g2.hdf5");
        assertThat(s3.getObjectAsBytes(
                                r -> r.bucket("automatix-archive").key("tape/alice/" + session + "/gauges/g2.hdf5"))
                        .asUtf8String())
                .isEqualTo("data of gauges/g2.hdf5");
        try (var left = Files.list(es2.resolve("gauges"))) {
            assertThat(left.map(p -> p.getFileName().toString()).toList()).containsExactly("notes.txt");
        }
        JsonNode movers = b.get("datamovers");
        assertThat(movers).hasSize(2);
        assertThat(movers.get(0).get("datamover").asText()).isEqualTo("datamover1");
        assertThat(movers.get(0).get("files_done").asInt()).isEqualTo(3);
        assertThat(movers.get(1).get("files_done").asInt()).isEqualTo(3);
        assertThat(movers.get(1).get("status").asText()).isEqualTo("done");

        // the steps ran as SLURM jobs under their names, on the partition of their location
        // (by id: session ids, and so job names, start again in each test database)
        String idA = a.get("jobs").get(0).get("job_id").asText();
        Map<String, String> jobA = io.automatix.testing.SlurmJobs.now().jobs().stream()
                .filter(j -> idA.equals(j.get("JobId")))
                .findFirst()
                .orElseThrow();
        assertThat(jobA.get("JobName")).isEqualTo("wf-" + id + ".step_A.1");
        assertThat(jobA.get("Partition")).isEqualTo("standby");
        assertThat(jobA.get("JobState")).isEqualTo("COMPLETED");
        assertThat(db.transitions("step", "step_B"))
                .containsSubsequence("starting>running", "running>stopping", "stopping>stopped");

        call("alice", "POST", "/api/sessions/" + session + "/stop", Map.of(), 202);
        awaitSession("alice", session, "stopped");
        assertThat(es2).doesNotExist();
        assertThat(call("alice", "GET", "/api/sessions", null, 200).findValuesAsText("session"))
                .doesNotContain(session);
    }

    @Test
    void aParametricStepOfFiftyValuesRunsAsOneJobArrayAndEveryTaskFinishes() throws Exception {
        String session = "fan_" + TAG;
        long id = call(
                        "alice",
                        "POST",
                        "/api/sessions",
                        Map.of("workflow", "fan", "session", session, "directory", workdir.toString()),
                        201)
                .get("id")
                .asLong();
        awaitSession("alice", session, "active");
        call("alice", "POST", "/api/sessions/" + session + "/steps/fan", Map.of(), 202);
        JsonNode step = awaitStep("alice", session, "fan", Duration.ofSeconds(180));
        assertThat(step.get("outcome").asText()).as(step.toString()).isEqualTo("succeeded");
        JsonNode jobs = step.get("jobs");
        assertThat(jobs).hasSize(50);
        String arrayId = jobs.get(0).get("job_id").asText().split("_")[0];
        for (int i = 0; i < 50; i++) {
            assertThat(jobs.get(i).get("state").asText()).isEqualTo("succeeded");
            assertThat(jobs.get(i).get("parameter").asText()).isEqualTo(String.valueOf(i));
            assertThat(jobs.get(i).get("job_id").asText()).isEqualTo(arrayId + "_" + i); // one array, task i
            assertThat(jobs.get(i).get("name").asText()).isEqualTo("wf-" + id + ".fan.1_" + i);
        }
        assertThat(step.get("jobs_by_state").get("succeeded").asInt()).isEqualTo(50);
    }

    @Test
    void validationErrorsAreReportedWithFileLineAndFieldBeforeAnythingRuns() throws Exception {
        String text = Files.readString(TestServices.PROJECT.resolve("src/test/resources/workflow/bad.yaml"));
        JsonNode errors = call(
                        "alice",
                        "POST",
                        "/api/sessions",
                        Map.of("wdf", text, "file", "bad.yaml", "session", "bad_" + TAG),
                        400)
                .get("errors");
        List<String> messages = JSON.convertValue(errors, List.class);
        assertThat(messages).anySatisfy(m -> assertThat(m).startsWith("bad.yaml:3: workflow.color: unknown key"));
        assertThat(messages)
                .anySatisfy(m -> assertThat(m)
                        .startsWith("bad.yaml:9: services.es1")
                        .contains("undefined variable 'UNDEFINED_NS'"));
        assertThat(messages)
                .anySatisfy(m -> assertThat(m)
                        .startsWith("bad.yaml:22: steps.a.services")
                        .contains("unknown service 'es9'"));
        assertThat(messages)
                .anySatisfy(m -> assertThat(m)
                        .startsWith("bad.yaml:28: steps.b.services")
                        .contains("unknown data mover 'dm7'"));
        // a step variable missing at run time is reported with its line, and nothing is run
        String session = "vars_" + TAG;
        call(
                "alice",
                "POST",
                "/api/sessions",
                Map.of("workflow", "slow", "session", session, "directory", workdir.toString()),
                201);
        JsonNode run = call("alice", "POST", "/api/sessions/" + session + "/steps/slow", Map.of(), 400);
        assertThat(run.get("errors").get(0).asText())
                .startsWith("workflows/slow.yaml:7: steps.slow.command")
                .contains("undefined variable 'SECONDS'");
        assertThat(db.value("SELECT count(*) FROM session_steps")).isNotNull();
        assertThat(Integer.parseInt(db.value(
                        "SELECT count(*) FROM session_steps s JOIN workflow_sessions w ON w.id = s.session_id "
                                + "WHERE w.name = ?",
                        session)))
                .isZero();
    }

    @Test
    void anotherUserCanNeitherSeeNorStopTheSessionUnlessItIsSharedAndStopWaitsForTheRunningStep() throws Exception {
        String session = "slow_" + TAG;
        call(
                "alice",
                "POST",
                "/api/sessions",
                Map.of(
                        "workflow",
                        "slow",
                        "session",
                        session,
                        "directory",
                        workdir.toString(),
                        "variables",
                        Map.of("SECONDS", "1")),
                201);
        awaitSession("alice", session, "active");
        call(
                "alice",
                "POST",
                "/api/sessions/" + session + "/steps/slow",
                Map.of("variables", Map.of("SECONDS", "8")),
                202);

        call("bob", "POST", "/api/sessions/" + session + "/stop?owner=alice", Map.of("force", true), 404);
        call("bob", "GET", "/api/sessions/" + session + "?owner=alice", null, 404);
        call(null, "POST", "/api/sessions/" + session + "/stop?owner=alice", Map.of(), 401);
        assertThat(call("bob", "GET", "/api/sessions", null, 200).findValuesAsText("session"))
                .doesNotContain(session);
        String token = call("alice", "POST", "/api/sessions/" + session + "/share", Map.of("token", true), 200)
                .get("token")
                .asText();
        assertThat(call("bob", "GET", "/api/sessions/" + session + "?owner=alice", null, 200, token)
                        .get("status")
                        .asText())
                .isEqualTo("active");

        await().atMost(Duration.ofSeconds(60))
                .until(() -> "running"
                                .equals(step("alice", session, "slow")
                                        .get("status")
                                        .asText())
                        && step("alice", session, "slow").get("jobs_by_state").has("running"));
        call("alice", "POST", "/api/sessions/" + session + "/stop", Map.of(), 202);
        Thread.sleep(2000);
        JsonNode status = call("alice", "GET", "/api/sessions/" + session, null, 200);
        assertThat(status.get("status").asText()).isEqualTo("stopping");
        assertThat(status.get("active_steps")).hasSize(1);
        call(
                "alice",
                "POST",
                "/api/sessions/" + session + "/steps/slow",
                Map.of("variables", Map.of("SECONDS", "1")),
                409);
        awaitSession("alice", session, "stopped");
        JsonNode done = call("alice", "GET", "/api/sessions/" + session, null, 200)
                .get("terminated_steps")
                .get(0);
        assertThat(done.get("outcome").asText()).isEqualTo("succeeded"); // it was waited for, not cancelled
    }

    @Test
    void cancelLeavesNoJobInSlurm() throws Exception {
        String session = "cancel_" + TAG;
        long id = call(
                        "alice",
                        "POST",
                        "/api/sessions",
                        Map.of(
                                "workflow",
                                "slow",
                                "session",
                                session,
                                "directory",
                                workdir.toString(),
                                "variables",
                                Map.of("SECONDS", "300")),
                        201)
                .get("id")
                .asLong();
        awaitSession("alice", session, "active");
        call("alice", "POST", "/api/sessions/" + session + "/steps/slow", Map.of(), 202);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> step("alice", session, "slow").get("jobs").size() == 1
                        && step("alice", session, "slow").get("jobs").get(0).hasNonNull("job_id"));
        String name = "wf-" + id + ".slow.1";
        assertThat(TestServices.run("squeue", "-h", "-o", "%j", "-n", name)).contains(name);
        call("alice", "POST", "/api/sessions/" + session + "/cancel", Map.of("step", "slow"), 202);
        JsonNode step = awaitStep("alice", session, "slow");
        assertThat(step.get("outcome").asText()).isEqualTo("cancelled");
        assertThat(step.get("jobs").get(0).get("state").asText()).isEqualTo("cancelled");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> TestServices.run(
                                "squeue", "-h", "-t", "PENDING,RUNNING,COMPLETING", "-o", "%j", "-n", name)
                        .isBlank());
    }

    @Test
    void aStepAfterAnotherWaitsUntilThatOneHasSucceeded() throws Exception {
        String session = "dag_" + TAG;
        call(
                "alice",
                "POST",
                "/api/sessions",
                Map.of("workflow", "dag", "session", session, "directory", workdir.toString()),
                201);
        awaitSession("alice", session, "active");
        call("alice", "POST", "/api/sessions/" + session + "/steps/analyse", Map.of(), 202);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> step("alice", session, "analyse")
                        .path("last_error")
                        .asText()
                        .equals("waiting for prepare"));
        Thread.sleep(1500);
        assertThat(step("alice", session, "analyse").get("jobs")).isEmpty();
        call("alice", "POST", "/api/sessions/" + session + "/steps/prepare", Map.of(), 202);
        JsonNode analyse = awaitStep("alice", session, "analyse");
        JsonNode prepare = step("alice", session, "prepare");
        assertThat(analyse.get("outcome").asText()).isEqualTo("succeeded");
        assertThat(prepare.get("outcome").asText()).isEqualTo("succeeded");
        assertThat(java.time.Instant.parse(
                        analyse.get("jobs").get(0).get("submitted_at").asText()))
                .isAfterOrEqualTo(java.time.Instant.parse(
                        prepare.get("jobs").get(0).get("finished_at").asText()));
    }

    // --- helpers -----------------------------------------------------------------------------------

    private static void script(String name, String body) throws Exception {
        Path p = workdir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n#SBATCH --output=" + name + "-%A_%a.out\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static JsonNode call(String user, String method, String path, Object body, int expected) throws Exception {
        return call(user, method, path, body, expected, null);
    }

    private static JsonNode call(String user, String method, String path, Object body, int expected, String shareToken)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(router.url(path)))
                .timeout(Duration.ofSeconds(20))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .header("Content-Type", "application/json");
        if (user != null) {
            request.header("Authorization", "Bearer " + user + "-token");
        }
        if (shareToken != null) {
            request.header("X-Automatix-Share-Token", shareToken);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as(method + " " + path + ": " + response.body())
                .isEqualTo(expected);
        return JSON.readTree(response.body());
    }

    private static void awaitSession(String user, String session, String status) {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> status.equals(call(user, "GET", "/api/sessions/" + session, null, 200)
                        .get("status")
                        .asText()));
    }

    private static JsonNode step(String user, String session, String step) throws Exception {
        JsonNode status = call(user, "GET", "/api/sessions/" + session, null, 200);
        for (String list : List.of("active_steps", "terminated_steps")) {
            for (JsonNode s : status.get(list)) {
                if (s.get("step").asText().equals(step)) {
                    return s;
                }
            }
        }
        throw new AssertionError("no step " + step + " in " + status);
    }

    private static JsonNode awaitStep(String user, String session, String step) {
        return awaitStep(user, session, step, Duration.ofSeconds(90));
    }

    private static JsonNode awaitStep(String user, String session, String step, Duration limit) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(limit).pollInterval(Duration.ofMillis(300)).until(() -> {
            last[0] = step(user, session, step);
            return "stopped".equals(last[0].get("status").asText());
        });
        return last[0];
    }
}
