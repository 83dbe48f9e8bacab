package io.automatix.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
 * The CLI (the jar, as a user runs it) against a router processing real runs on the local cluster,
 * through the REST API; and the API's own contract: tokens, OpenAPI, actions recorded as their user.
 */
class CliIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static RunningRouter router;
    private static RunsDb db;

    @BeforeAll
    static void start() throws Exception {
        Path scratch = TestServices.sharedDirectory("scratch", true);
        Path home = TestHome.copyOfProject()
                .with("cli/sleepy.yaml", "pipelines/sleepy.yaml")
                .with("cli/sleep.sh.ftl", "templates/test/sleep.sh.ftl")
                .path();
        router = RunningRouter.builder()
                .home(home)
                .property("automatix.clusters.local.scratch", scratch.toString())
                .property("automatix.process.plan-ms", "500")
                .start();
        db = new RunsDb(router.database());
    }

    @AfterAll
    static void stop() throws Exception {
        if (router != null) {
            router.close();
        }
    }

    record Result(int exit, String out, String err) {
        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }
    }

    private static Result cli(String... args) throws Exception {
        return cliAs(TestServices.API_TOKEN, args);
    }

    private static Result cliAs(String token, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                "java",
                "-jar",
                TestServices.PROJECT.resolve("target/automatix.jar").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("AUTOMATIX_URL", router.url(""));
        builder.environment().put("AUTOMATIX_TOKEN", token);
        Path out = Files.createTempFile("cli", ".out");
        Path err = Files.createTempFile("cli", ".err");
        Process p =
                builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS))
                .as("automatix " + String.join(" ", args) + " ended")
                .isTrue();
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void helpListsEveryCommandAndEachCommandHasItsOwn() throws Exception {
        Result help = cli("--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("router", "once", "status", "runs", "restore", "wf", "hawtio");
        assertThat(cli("wf", "start", "--help").out()).contains("WORKFLOW=", "--session");
        assertThat(cli("once", "--help").out())
                .contains("--transfer", "--process", "--reprocess", "--run", "--dry-run", "--cluster", "--log");
    }

    @Test
    void runsAreAddedShownReprocessedAndCancelledAsTheCommandsUser() throws Exception {
        Result added = cli("runs", "add", "cli_run_1", "--cluster", "local");
        assertThat(added.exit()).as(added.err()).isZero();
        assertThat(added.json().get("raw_status").asText()).isEqualTo("acquired");
        db.update("UPDATE runs SET raw_status = 'ondeck' WHERE name = 'cli_run_1'");
        db.awaitProcessed("cli_run_1", Duration.ofSeconds(60));

        Result shown = cli("runs", "show", "cli_run_1");
        assertThat(shown.json().get("processed_status").asText()).isEqualTo("processed");
        assertThat(shown.json().get("jobs")).hasSize(1);

        Result reprocessed = cli("runs", "reprocess", "cli_run_1");
        assertThat(reprocessed.exit()).as(reprocessed.err()).isZero();
        await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> "processed".equals(db.value("SELECT processed_status FROM runs WHERE name = 'cli_run_1'"))
                                && "2"
                                        .equals(
                                                db.value(
                                                        "SELECT attempt::text FROM jobs j JOIN runs r ON r.id = j.run_id WHERE r.name = 'cli_run_1'")));
        assertThat(db.value("SELECT state FROM jobs WHERE scheduler_job_name = 'cli_run_1.process.2'"))
                .isEqualTo("succeeded");
        // the actions are the operator's: the token's user is the actor of the events they caused
        assertThat(
                        db.column(
                                "SELECT DISTINCT actor FROM events WHERE entity = 'run' AND entity_name = 'cli_run_1' "
                                        + "AND type IN ('run.acquired', 'run.processing.queued') AND from_state IS DISTINCT FROM 'none'"))
                .containsOnly("operator");

        db.ondeck("cli_nap", "local", "sleepy");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> "running"
                        .equals(db.value(
                                "SELECT j.state FROM jobs j JOIN runs r ON r.id = j.run_id WHERE r.name = 'cli_nap'")));
        String pid = db.value("SELECT scheduler_job_id FROM jobs WHERE scheduler_job_name = 'cli_nap.nap.1'");
        Result cancelled = cli("runs", "cancel", "cli_nap");
        assertThat(cancelled.exit()).as(cancelled.err()).isZero();
        assertThat(cancelled.json().get("jobs_cancelled").asInt()).isEqualTo(1);
        assertThat(db.row("SELECT processed_status, last_error FROM runs WHERE name = 'cli_nap'"))
                .containsEntry("processed_status", "failed")
                .containsEntry("last_error", "cancelled by operator");
        await().atMost(Duration.ofSeconds(15))
                .until(() -> !Path.of("/proc", pid).toFile().exists()
                        || Files.readString(Path.of("/proc", pid, "stat")).contains(") Z "));
    }

    @Test
    void errorsAreOneLineAndANonZeroExit() throws Exception {
        Result missing = cli("runs", "show", "no_such_run");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err().strip())
                .startsWith("automatix: ")
                .contains("no_such_run")
                .doesNotContain("\n");
        Result badToken = cliAs("wrong", "runs", "show", "x");
        assertThat(badToken.exit()).isEqualTo(1);
        assertThat(badToken.err().strip())
                .isEqualTo("automatix: a valid token is required (Authorization: Bearer <token>)");
        Result noPassword = cli("hawtio", "--port", String.valueOf(TestServices.freePort()));
        assertThat(noPassword.exit()).isEqualTo(1);
        assertThat(noPassword.err().strip())
                .startsWith("automatix: a password is needed")
                .doesNotContain("\n");
        Result badOption = cli("once", "--no-such-flag");
        assertThat(badOption.exit()).isNotZero();
        assertThat(badOption.err()).contains("Unknown option");
    }

    @Test
    void statusAndOncePassesAndWorkflowSessionsWorkFromTheCommandLine() throws Exception {
        db.ondeck("cli_status_1", "local", null);
        db.awaitProcessed("cli_status_1", Duration.ofSeconds(60));
        Result status = cli("status");
        assertThat(status.exit()).as(status.err()).isZero();
        assertThat(status.out()).contains("Runs", "processed=", "Jobs", "Transfers", "Supervisions");

        db.update(
                "INSERT INTO runs (name, raw_status, processed_status, cluster) VALUES ('cli_once_0', 'acquired', 'none', 'local')");
        Result dry = cli("once", "--transfer", "--dry_run", "--run", "cli_once_0");
        assertThat(dry.exit()).as(dry.err()).isZero();
        Result once = cli("once", "--process");
        assertThat(once.exit()).as(once.err()).isZero();
        assertThat(once.json().at("/process/submitted_jobs").isInt()).isTrue();

        Path wdf = TestServices.PROJECT.resolve("src/test/resources/cli/local-sample.yaml");
        Path dir = TestServices.sharedDirectory("cli-wf", true);
        Files.writeString(dir.resolve("hello.sh"), "echo hello");
        Result started =
                cli("wf", "start", "WORKFLOW=" + wdf, "SESSION=cli_s1", "NS=cli_ns", "--directory", dir.toString());
        assertThat(started.exit()).as(started.err()).isZero();
        assertThat(started.json().get("status").asText()).isEqualTo("starting");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> cli("wf", "status", "SESSION=cli_s1")
                        .json()
                        .get("status")
                        .asText()
                        .equals("active"));
        assertThat(cli("wf", "list").json().findValuesAsText("session")).contains("cli_s1");
        assertThat(cli("wf", "access", "-s", "cli_s1")
                        .json()
                        .get("services")
                        .get(0)
                        .get("flavor")
                        .asText())
                .isEqualTo("small");
        Result invalid = cli("wf", "start", "WORKFLOW=" + wdf, "SESSION=cli_s2");
        assertThat(invalid.exit()).isEqualTo(1);
        assertThat(invalid.err())
                .contains(wdf + ":8: services.es1.attributes.namespace")
                .contains("undefined variable 'NS'");
        Result stopped = cli("wf", "stop", "SESSION=cli_s1");
        assertThat(stopped.exit()).as(stopped.err()).isZero();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> cli("wf", "status", "SESSION=cli_s1")
                        .json()
                        .get("status")
                        .asText()
                        .equals("stopped"));
    }

    @Test
    void theApiRefusesRequestsWithoutATokenExceptHealthAndDescribesItself() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        for (String path : List.of(
                "/api/runs",
                "/api/jobs",
                "/api/supervisions",
                "/api/bundles",
                "/api/transfers",
                "/api/sessions",
                "/api/openapi.json",
                "/api/runs/x")) {
            var response = http.send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(router.url(path)))
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path).isEqualTo(401);
        }
        var health = http.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(router.url("/observe/health")))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        JsonNode openapi = JSON.readTree(router.get("/api/openapi.json").body());
        assertThat(openapi.get("openapi").asText()).startsWith("3.");
        List<String> paths = new ArrayList<>();
        openapi.get("paths").fieldNames().forEachRemaining(paths::add);
        assertThat(paths)
                .contains(
                        "/api/runs",
                        "/api/runs/{name}",
                        "/api/jobs",
                        "/api/supervisions",
                        "/api/bundles",
                        "/api/sessions",
                        "/api/actions/once");
        assertThat(JSON.readTree(router.get("/api/jobs?limit=1").body()).isArray())
                .isTrue();
        assertThat(JSON.readTree(router.get("/api/bundles").body()).isArray()).isTrue();
    }
}
