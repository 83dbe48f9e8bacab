package io.automatix.hostile;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.automatix.process.JobTemplates;
import io.automatix.process.PipelineParser;
import io.automatix.process.Pipelines;
import io.automatix.testing.AmqpTestClient;
import io.automatix.testing.RunningRouter;
import io.automatix.testing.RunsDb;
import io.automatix.testing.TestHome;
import io.automatix.testing.TestServices;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The hostile input corpus ({@code src/test/resources/hostile/}, see its README) against one router
 * on the real PostgreSQL and RabbitMQ: every run offer over HTTP and AMQP, every job status message,
 * every broken pipeline, WDF and template. Each must end in a clear error or a dead letter with the
 * reason; afterwards the router must be healthy with all routes started, still process a normal
 * run, hold no run it should have refused, and no shell may ever have run a command hidden in an input
 * (the marker file those commands would create never appears).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CORPUS = TestServices.PROJECT.resolve("src/test/resources/hostile");
    /** What the commands hidden in the corpus (@MARK@) would create. */
    private static final Path MARKER =
            Path.of("/tmp/pwned_" + UUID.randomUUID().toString().replace("-", ""));

    private static final AtomicInteger TRIED = new AtomicInteger();
    /** Run names the router must hold at the end, and nothing else. */
    private static final Set<String> EXPECTED_RUNS = new TreeSet<>();

    private static RunningRouter router;
    private static RunsDb db;
    private static AmqpTestClient amqp;
    private static com.rabbitmq.client.Connection rawConnection;
    private static Channel raw;
    private static Path home;
    private static Path scratch;
    private static Path sources;

    @BeforeAll
    static void start() throws Exception {
        scratch = Files.createTempDirectory("hostile-scratch");
        sources = Files.createTempDirectory("hostile-sources");
        home = TestHome.copyOfProject().path();
        router = RunningRouter.builder()
                .home(home)
                .property("automatix.clusters.local.scratch", scratch.toString())
                .property("automatix.process.plan-ms", "500")
                .property("automatix.transfer.poll-ms", "1000")
                .start();
        db = new RunsDb(router.database());
        amqp = AmqpTestClient.rabbitmq(router.vhost());
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(TestServices.AMQP_HOST);
        factory.setPort(TestServices.AMQP_PORT);
        factory.setVirtualHost(router.vhost());
        rawConnection = factory.newConnection("hostile-test");
        raw = rawConnection.createChannel();
        raw.confirmSelect();
    }

    @AfterAll
    static void stop() throws Exception {
        System.out.println("hostile inputs tried: " + TRIED.get());
        if (rawConnection != null) {
            rawConnection.close();
        }
        if (amqp != null) {
            amqp.close();
        }
        if (router != null) {
            router.close();
        }
        Files.deleteIfExists(MARKER);
    }

    // --- run offers: HTTP and AMQP ------------------------------------------------------------------

    @Test
    @Order(1)
    void runOffersAreRefusedWithTheReasonOrAccepted() throws Exception {
        Map<String, byte[]> cases = corpus("runs");
        Map<String, String> failures = new TreeMap<>();
        for (var c : cases.entrySet()) {
            boolean ok = c.getKey().startsWith("ok-");
            var response = router.post("/api/runs", "application/json", c.getValue());
            TRIED.incrementAndGet();
            if (ok) {
                if (response.statusCode() != 201) {
                    failures.put(c.getKey(), "HTTP " + response.statusCode() + " " + response.body());
                } else {
                    EXPECTED_RUNS.add(JSON.readTree(response.body()).get("name").asText());
                }
            } else if (c.getValue().length > 64 * 1024 && response.statusCode() == 413) {
                continue; // the HTTP server refuses bodies over its limit before the API reads them
            } else if (response.statusCode() != 400
                    || JSON.readTree(response.body()).path("error").asText().isBlank()) {
                failures.put(c.getKey(), "HTTP " + response.statusCode() + " " + response.body());
            }
        }
        assertThat(failures)
                .as("HTTP answers that are not 400 with a reason (or 201 for ok-*)")
                .isEmpty();

        // the same bodies over AMQP: the refused ones come back as dead letters, unchanged, with the reason
        Map<String, String> expected = new HashMap<>(); // body (base64) -> case
        for (var c : cases.entrySet()) {
            amqp.publish("automatix.runs", c.getValue());
            TRIED.incrementAndGet();
            if (!c.getKey().startsWith("ok-")) {
                expected.put(Base64.getEncoder().encodeToString(c.getValue()), c.getKey());
            }
        }
        Map<String, GetResponse> dead = deadLetters(expected.size(), Duration.ofSeconds(90));
        Map<String, String> missing = new TreeMap<>();
        expected.forEach((body, name) -> {
            GetResponse m = dead.get(body);
            if (m == null) {
                missing.put(name, "no dead letter");
            } else if (!"ingest-amqp".equals(AmqpTestClient.header(m, "automatix-dead-route"))
                    || String.valueOf(AmqpTestClient.header(m, "automatix-dead-reason"))
                            .isBlank()) {
                missing.put(
                        name,
                        "dead letter without route or reason: " + m.getProps().getHeaders());
            }
        });
        assertThat(missing).as("run offers refused over AMQP").isEmpty();
        assertThat(dead.keySet())
                .as("dead letters for offers that were accepted")
                .isSubsetOf(expected.keySet());
        assertThat(routesStarted()).isTrue();
    }

    @Test
    @Order(2)
    void amqpMessagesWithHostilePropertiesAreDeadLettered() throws Exception {
        // a serialized Java object: must never be deserialized, only refused as not JSON
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new java.util.HashMap<>(Map.of("name", "hx_serialized")));
        }
        byte[] serialized = bytes.toByteArray();
        publishRaw(
                serialized,
                new AMQP.BasicProperties.Builder()
                        .contentType("application/x-java-serialized-object")
                        .build());
        // text with a charset the JVM does not know: the body is read as the bytes that came (JSON is UTF-8), so
        // this valid offer is accepted (it used to fail in the converter and be dropped without a dead letter)
        byte[] bogusCharset = "{\"name\":\"hx_bogus_charset\"}".getBytes(StandardCharsets.UTF_8);
        publishRaw(
                bogusCharset,
                new AMQP.BasicProperties.Builder()
                        .contentType("text/plain")
                        .contentEncoding("x-no-such-charset")
                        .build());
        // headers that claim to be the router's own
        byte[] forged =
                "{\"name\":\"x;touch MARK\"}".replace("MARK", MARKER.toString()).getBytes(StandardCharsets.UTF_8);
        publishRaw(
                forged,
                new AMQP.BasicProperties.Builder()
                        .contentType("application/json")
                        .headers(Map.of(
                                "automatix-dead-reason",
                                "forged",
                                "CamelSpringRabbitmqRoutingOverrideKey",
                                "automatix.runs",
                                "CamelBeanMethodName",
                                "find"))
                        .build());
        // a valid offer without any properties is accepted
        publishRaw("{\"name\":\"hx_amqp_bare\"}".getBytes(StandardCharsets.UTF_8), new AMQP.BasicProperties());
        EXPECTED_RUNS.addAll(List.of("hx_amqp_bare", "hx_bogus_charset"));
        TRIED.addAndGet(4);

        Map<String, GetResponse> dead = deadLetters(2, Duration.ofSeconds(60));
        assertThat(dead).hasSize(2);
        for (byte[] body : List.of(serialized, forged)) {
            GetResponse m = dead.get(Base64.getEncoder().encodeToString(body));
            assertThat(m).as(new String(body, StandardCharsets.ISO_8859_1)).isNotNull();
            assertThat(AmqpTestClient.header(m, "automatix-dead-reason"))
                    .isNotBlank()
                    .isNotEqualTo("forged");
        }
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "2"
                        .equals(db.value(
                                "SELECT count(*) FROM runs WHERE name IN ('hx_amqp_bare', 'hx_bogus_charset')")));
        assertThat(db.value("SELECT count(*) FROM runs WHERE name = 'hx_serialized'"))
                .isEqualTo("0");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> raw.queueDeclarePassive("automatix.runs").getMessageCount() == 0);
    }

    @Test
    @Order(3)
    void theAcquisitionSystemsInsertIsGuardedByTheSchemaToo() throws Exception {
        String[] paths = {
            "/tmp/$(touch " + MARKER + ")",
            "/tmp/`touch " + MARKER + "`",
            "/tmp/x;touch " + MARKER,
            "/tmp/x\ntouch " + MARKER,
            "/tmp/../etc",
            "-e sh",
            "relative/path"
        };
        for (String path : paths) {
            TRIED.incrementAndGet();
            assertThatThrownBy(() -> insertRun("hx_db_insert", path))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("runs_source_path_safe");
        }
        for (String name : new String[] {"x;touch " + MARKER, "..", "-rf", "a\nb", "a b", "$(id)"}) {
            TRIED.incrementAndGet();
            assertThatThrownBy(() -> insertRun(name, "/tmp/x")).isInstanceOf(SQLException.class);
        }
    }

    // --- nothing reaches a shell: an accepted run with every allowed odd character goes all the way -----

    @Test
    @Order(4)
    void aRunWithOddButAllowedCharactersIsTransferredAndProcessedWithoutAShellSeeingThem() throws Exception {
        Path data = Files.createDirectories(sources.resolve("run+a=b,c@d-e_f.1"));
        Files.writeString(data.resolve("events.bin"), "raw");
        Files.writeString(data.resolve("-rf"), "a file named like an option");
        String offer = JSON.writeValueAsString(Map.of(
                "name",
                "hx_odd_path",
                "source_path",
                data.toString(),
                "cluster",
                "local",
                "metadata",
                Map.of(
                        "cmd",
                        "$(touch " + MARKER + ")",
                        "tick",
                        "`touch " + MARKER + "`",
                        "semi",
                        "x; touch " + MARKER,
                        "nl",
                        "x\ntouch " + MARKER,
                        "quote",
                        "'\"; touch " + MARKER)));
        var response = router.postJson("/api/runs", offer);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        TRIED.incrementAndGet();
        EXPECTED_RUNS.add("hx_odd_path");
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> {
                    String status = db.value(
                            "SELECT raw_status || ' ' || coalesce(last_error, '') FROM runs WHERE name = 'hx_odd_path'");
                    assertThat(status).doesNotStartWith("transfer_failed");
                    return status.startsWith("ondeck");
                });
        db.awaitProcessed("hx_odd_path", Duration.ofSeconds(60));
        assertThat(scratch.resolve("hx_odd_path/events.bin")).exists();
        assertThat(scratch.resolve("hx_odd_path/-rf")).exists();
        assertThat(MARKER).as("a command hidden in the input ran").doesNotExist();
    }

    // --- job status messages ---------------------------------------------------------------------------

    @Test
    @Order(5)
    void statusMessagesAreDeadLetteredOrIgnoredWithoutChangingAnyJob() throws Exception {
        String job = db.value(
                "SELECT scheduler_job_name FROM jobs j JOIN runs r ON r.id = j.run_id WHERE r.name = 'hx_odd_path'");
        assertThat(job).isNotNull();
        String jobsBefore = jobsSnapshot();
        Map<String, byte[]> cases = corpus("status");
        Map<String, String> expected = new HashMap<>();
        for (var c : cases.entrySet()) {
            byte[] body = replace(c.getValue(), "@JOB@", job);
            amqp.publish("automatix.job-status", body);
            TRIED.incrementAndGet();
            // none is signed with the job's key (issue 19): the well-formed ("ok-") ones are refused too
            expected.put(Base64.getEncoder().encodeToString(body), c.getKey());
        }
        Map<String, GetResponse> dead = deadLetters(expected.size(), Duration.ofSeconds(60));
        Map<String, String> missing = new TreeMap<>();
        expected.forEach((body, name) -> {
            GetResponse m = dead.get(body);
            if (m == null) {
                missing.put(name, "no dead letter");
            } else if (!"job-status".equals(AmqpTestClient.header(m, "automatix-dead-route"))
                    || String.valueOf(AmqpTestClient.header(m, "automatix-dead-reason"))
                            .isBlank()) {
                missing.put(
                        name,
                        "dead letter without route or reason: " + m.getProps().getHeaders());
            }
        });
        assertThat(missing).as("status messages refused").isEmpty();
        assertThat(dead.keySet())
                .as("dead letters for status messages that decode")
                .isSubsetOf(expected.keySet());
        await().atMost(Duration.ofSeconds(20))
                .until(() -> raw.queueDeclarePassive("automatix.job-status").getMessageCount() == 0);
        Thread.sleep(1500); // the last batch applied
        assertThat(jobsSnapshot()).as("jobs after the status messages").isEqualTo(jobsBefore);
    }

    // --- pipeline files ----------------------------------------------------------------------------------

    @Test
    @Order(6)
    void brokenPipelinesAreRejectedWithFileLineFieldAndReason() throws Exception {
        Map<String, byte[]> cases = corpus("pipelines");
        Path dir = home.resolve("pipelines");
        for (var c : cases.entrySet()) {
            Files.write(dir.resolve("hx-" + c.getKey()), c.getValue()); // while the router runs: its reload sees them
            TRIED.incrementAndGet();
        }
        // the router reads them when a run names one: the run fails with the file's error, the router goes on
        db.ondeck("hx_pl_deep", "local", "hx-deep-flow");
        db.ondeck("hx_pl_cycle", "local", "hx-after-cycle");
        EXPECTED_RUNS.addAll(List.of("hx_pl_deep", "hx_pl_cycle"));
        for (String run : List.of("hx_pl_deep", "hx_pl_cycle")) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> "failed".equals(db.value("SELECT processed_status FROM runs WHERE name = ?", run)));
        }
        assertThat(db.value("SELECT last_error FROM runs WHERE name = 'hx_pl_deep'"))
                .contains("pipelines/hx-deep-flow.yaml:1: ");
        assertThat(db.value("SELECT last_error FROM runs WHERE name = 'hx_pl_cycle'"))
                .contains("pipelines/hx-after-cycle.yaml:")
                .contains("cycle");

        // every file's error, as the directory's reload reports it
        Pipelines pipelines =
                new Pipelines(dir, new PipelineParser(new JobTemplates(home.resolve("templates"))::exists));
        Map<String, String> errors = pipelines.errors();
        Map<String, String> wrong = new TreeMap<>();
        for (String name : cases.keySet()) {
            String file = "pipelines/hx-" + name;
            String error = errors.get(file);
            boolean located = error != null && error.matches("(?s)\\Q" + file + "\\E:\\d+: .+");
            if (!located) {
                wrong.put(name, String.valueOf(error));
            }
        }
        assertThat(wrong)
                .as("pipeline files without a 'file:line: field: reason' error")
                .isEmpty();
        assertThat(pipelines.get("fulliautomatix")).isPresent();
        assertThat(routesStarted()).isTrue();
    }

    // --- workflow description files ------------------------------------------------------------------------

    @Test
    @Order(7)
    void brokenWdfsAreRefusedWithEveryErrorLocated() throws Exception {
        Map<String, byte[]> cases = corpus("wdf");
        // a refused command names the program or option
        Map<String, String> named = Map.of(
                "command-sbatch-wrap.yaml", "option '--wrap=id' of sbatch",
                "command-sbatch-uid.yaml", "option '--uid=0' of sbatch",
                "command-shell.yaml", "steps.a.command: '/bin/sh' runs whatever it is given",
                "command-env.yaml", "steps.a.command: 'env' runs whatever it is given");
        Map<String, String> wrong = new TreeMap<>();
        int i = 0;
        for (var c : cases.entrySet()) {
            String text = new String(c.getValue(), StandardCharsets.UTF_8);
            String body = JSON.writeValueAsString(Map.of("wdf", text, "file", c.getKey(), "session", "hx_wdf_" + i++));
            var response = router.postJson("/api/sessions", body);
            TRIED.incrementAndGet();
            if (body.length() > 64 * 1024 && response.statusCode() == 413) {
                continue; // the HTTP server refuses bodies over its limit before the API reads them
            }
            JsonNode answer = response.statusCode() == 400 ? JSON.readTree(response.body()) : null;
            if (answer == null
                    || !answer.path("errors").isArray()
                    || answer.get("errors").isEmpty()) {
                wrong.put(c.getKey(), response.statusCode() + " " + response.body());
                continue;
            }
            for (JsonNode e : answer.get("errors")) {
                if (!e.asText().matches("(?s)\\Q" + c.getKey() + "\\E:\\d+: .+")) {
                    wrong.put(c.getKey(), "error not 'file:line: field: reason': " + e.asText());
                }
            }
            String name = named.get(c.getKey());
            if (name != null && !answer.get("errors").toString().contains(name)) {
                wrong.put(c.getKey(), "refusal does not name '" + name + "': " + answer.get("errors"));
            }
        }
        assertThat(wrong).as("WDFs not refused with located errors").isEmpty();
        assertThat(db.value("SELECT count(*) FROM workflow_sessions")).isEqualTo("0");
    }

    // --- templates that do not render --------------------------------------------------------------------

    @Test
    @Order(8)
    void aTemplateThatFailsToRenderFailsItsJobNamingTemplateAndLine() throws Exception {
        Map<String, byte[]> cases = corpus("templates");
        Map<String, String> runs = new LinkedHashMap<>();
        int i = 0;
        for (var c : cases.entrySet()) {
            Files.createDirectories(home.resolve("templates/hostile"));
            Files.write(home.resolve("templates/hostile/" + c.getKey()), c.getValue());
            String pipeline = "hx-tpl-" + i;
            Files.writeString(
                    home.resolve("pipelines/" + pipeline + ".yaml"),
                    "steps:\n  render:\n    template: hostile/" + c.getKey() + "\n");
            String run = "hx_tpl_" + i++;
            runs.put(run, c.getKey());
        }
        Thread.sleep(1100); // the pipelines directory is rescanned at most once a second
        for (String run : runs.keySet()) {
            db.ondeck(run, "local", "hx-tpl-" + run.substring("hx_tpl_".length()));
            EXPECTED_RUNS.add(run);
            TRIED.incrementAndGet();
        }
        Map<String, String> wrong = new TreeMap<>();
        for (var r : runs.entrySet()) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() ->
                            "failed".equals(db.value("SELECT processed_status FROM runs WHERE name = ?", r.getKey())));
            Map<String, String> job = db.row(
                    "SELECT j.state, j.last_error FROM jobs j JOIN runs r ON r.id = j.run_id WHERE r.name = ?",
                    r.getKey());
            String error = String.valueOf(job.get("last_error"));
            // the failing template and line: the step's own, even when it fails to parse at the wrapper's
            // <#include>; only an include the step's template makes of a missing file is the step's line
            boolean located = error.matches("(?s).*templates/hostile/\\Q" + r.getValue() + "\\E:\\d+: .+");
            if (!"failed".equals(job.get("state")) || !located) {
                wrong.put(r.getValue(), job.toString());
            }
        }
        assertThat(wrong).as("template failures without templates/x.ftl:LINE:").isEmpty();
        assertThat(MARKER).doesNotExist();
    }

    // --- afterwards -------------------------------------------------------------------------------------

    @Test
    @Order(99)
    void afterAllOfItTheRouterIsHealthyAndStillWorks() throws Exception {
        assertThat(router.get("/observe/health").statusCode()).isEqualTo(200);
        assertThat(routesStarted()).as("all routes started").isTrue();

        Path data = Files.createDirectories(sources.resolve("hx_normal"));
        Files.writeString(data.resolve("events.bin"), "raw");
        var response = router.postJson("/api/runs", "{\"name\":\"hx_normal\",\"source_path\":\"" + data + "\"}");
        assertThat(response.statusCode()).isEqualTo(201);
        EXPECTED_RUNS.add("hx_normal");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> "ondeck".equals(db.value("SELECT raw_status FROM runs WHERE name = 'hx_normal'")));
        db.awaitProcessed("hx_normal", Duration.ofSeconds(60));

        assertThat(db.value("SELECT count(*) FROM runs WHERE name ~ '[^A-Za-z0-9._-]' OR name ~ '^[.-]'"))
                .isEqualTo("0");
        assertThat(new TreeSet<>(db.column("SELECT name FROM runs")))
                .as("the runs held: exactly those accepted")
                .isEqualTo(EXPECTED_RUNS);
        assertThat(MARKER).as("a command hidden in the input ran").doesNotExist();
        assertThat(router.get("/observe/health").statusCode()).isEqualTo(200);
    }

    // --- helpers ------------------------------------------------------------------------------------------

    /** The files of a corpus group by name, @MARK@ replaced by the marker path (bytes kept as they are). */
    private static Map<String, byte[]> corpus(String group) throws Exception {
        Map<String, byte[]> cases = new TreeMap<>();
        try (Stream<Path> files = Files.list(CORPUS.resolve(group))) {
            for (Path f : files.toList()) {
                cases.put(f.getFileName().toString(), replace(Files.readAllBytes(f), "@MARK@", MARKER.toString()));
            }
        }
        assertThat(cases).isNotEmpty();
        return cases;
    }

    private static byte[] replace(byte[] body, String placeholder, String value) {
        String latin = new String(body, StandardCharsets.ISO_8859_1);
        return latin.contains(placeholder)
                ? latin.replace(placeholder, value).getBytes(StandardCharsets.ISO_8859_1)
                : body;
    }

    /** Takes dead letters until there are {@code count} (or the time is up), by body (base64). */
    private static Map<String, GetResponse> deadLetters(int count, Duration within) throws Exception {
        Map<String, GetResponse> dead = new HashMap<>();
        long deadline = System.nanoTime() + within.toNanos();
        while (dead.size() < count && System.nanoTime() < deadline) {
            GetResponse m = amqp.take("automatix.dead");
            if (m == null) {
                Thread.sleep(100);
                continue;
            }
            dead.put(Base64.getEncoder().encodeToString(m.getBody()), m);
        }
        Thread.sleep(500);
        for (GetResponse m = amqp.take("automatix.dead"); m != null; m = amqp.take("automatix.dead")) {
            dead.put(Base64.getEncoder().encodeToString(m.getBody()), m);
        }
        return dead;
    }

    private static void publishRaw(byte[] body, AMQP.BasicProperties properties) throws Exception {
        raw.basicPublish("", "automatix.runs", properties, body);
        raw.waitForConfirmsOrDie(5000);
    }

    private static void insertRun(String name, String sourcePath) throws SQLException {
        try (Connection c = router.db();
                PreparedStatement s = c.prepareStatement("INSERT INTO runs (name, source_path) VALUES (?, ?)")) {
            s.setString(1, name);
            s.setString(2, sourcePath);
            s.executeUpdate();
        }
    }

    private static String jobsSnapshot() throws SQLException {
        return String.join(
                "\n",
                db.column("SELECT concat_ws('|', id, scheduler_job_name, state, exit_code, scheduler_job_id, "
                        + "started_at, finished_at, last_error, attempt, updated_at) FROM jobs ORDER BY id"));
    }

    private static boolean routesStarted() {
        var context = router.context();
        List<String> notStarted = new ArrayList<>();
        context.getRoutes().forEach(r -> {
            if (RunningRouter.autoStarts(context, r.getRouteId())
                    && context.getRouteController().getRouteStatus(r.getRouteId()) != ServiceStatus.Started) {
                notStarted.add(r.getRouteId());
            }
        });
        assertThat(notStarted).as("routes not started").isEmpty();
        return true;
    }
}
