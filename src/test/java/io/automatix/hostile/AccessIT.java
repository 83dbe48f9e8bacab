package io.automatix.hostile;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.automatix.api.ApiUsers;
import io.automatix.testing.RouterProcess;
import io.automatix.testing.RunningRouter;
import io.automatix.testing.RunsDb;
import io.automatix.testing.TestHome;
import io.automatix.testing.TestServices;
import org.apache.camel.Endpoint;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.rest.RestEndpoint;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hostile access (issue 10): the API refuses requests without a valid token, one user cannot act on
 * another's session, Jolokia exposes no MBean operation, and no secret (API tokens, S3 secret key,
 * AMQP and database passwords, the push URL's password, the SSH private key, share tokens) appears
 * in the log, the events, the API's answers, the endpoint URIs or Jolokia's answers, after the router
 * has been exercised: runs offered over the API, one processed on the real SLURM over the real
 * OpenSSH (pushing its status with the password-carrying push URL) and archived to the S3 store with
 * the secret key, a workflow session started and shared.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AccessIT {

    private static final String TAG =
            UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static final String OPERATOR_TOKEN = "tok-" + UUID.randomUUID();
    private static final String ALICE_TOKEN = "tok-alice-" + UUID.randomUUID();
    private static final String BOB_TOKEN = "tok-bob-" + UUID.randomUUID();
    private static final String CAROL_TOKEN = "tok-carol-" + UUID.randomUUID();
    private static final String S3_SECRET = "s3-secret-" + UUID.randomUUID();
    private static final String AMQP_USER = "automatix-access-" + TAG;
    private static final String AMQP_PASSWORD =
            "amqp-pw-" + UUID.randomUUID().toString().replace("-", "");
    private static final String DB_ROLE = "automatix_access_" + TAG;
    private static final String DB_PASSWORD =
            "db-pw-" + UUID.randomUUID().toString().replace("-", "");
    /** Set before the features reading them exist (issue 19): they must not leak through config, JMX or logs. */
    private static final String OIDC_CLIENT_SECRET = "oidc-secret-" + UUID.randomUUID();

    /** What must never be seen, by name. */
    private static final Map<String, String> SECRETS = new LinkedHashMap<>();
    /** Every answer of the API (and /observe, /status) this test received: label, body. */
    private static final List<String[]> API_BODIES = Collections.synchronizedList(new ArrayList<>());
    /** Every answer of Jolokia this test received. */
    private static final List<String[]> JOLOKIA_BODIES = Collections.synchronizedList(new ArrayList<>());

    private static final Capture LOG = new Capture();

    private static String database;
    private static String vhost;
    private static boolean amqpUserMade;
    private static boolean dbRoleMade;
    private static RunningRouter router;
    private static RunsDb db;
    private static Path scratch;
    private static Path workdir;
    private static String session;

    @BeforeAll
    static void start() throws Exception {
        TestServices.requireSshKey();
        database = TestServices.createDatabase();
        vhost = TestServices.createVirtualHost();
        db = new RunsDb(database);
        // a broker user and a database role of this test's own, with recognisable passwords
        TestServices.rabbitmqctl("add_user", AMQP_USER, AMQP_PASSWORD);
        amqpUserMade = true;
        TestServices.rabbitmqctl("set_permissions", "-p", vhost, AMQP_USER, ".*", ".*", ".*");
        try (Connection c = DriverManager.getConnection(
                TestServices.jdbcUrl("postgres"), TestServices.DB_USER, TestServices.DB_PASSWORD)) {
            c.createStatement().execute("CREATE ROLE " + DB_ROLE + " LOGIN SUPERUSER PASSWORD '" + DB_PASSWORD + "'");
            dbRoleMade = true;
        }
        SECRETS.put("operator's API token", OPERATOR_TOKEN);
        SECRETS.put("alice's API token", ALICE_TOKEN);
        SECRETS.put("bob's API token", BOB_TOKEN);
        SECRETS.put("carol's API token", CAROL_TOKEN);
        SECRETS.put("S3 secret key", S3_SECRET);
        SECRETS.put("AMQP password (also in the push URL)", AMQP_PASSWORD);
        SECRETS.put("database password (given as a file: value)", DB_PASSWORD);
        SECRETS.put("OIDC client secret", OIDC_CLIENT_SECRET);
        List<String> keyLines = Files.readAllLines(TestServices.SSH_KEY).stream()
                .filter(l -> !l.startsWith("-----") && !l.isBlank())
                .toList();
        // the first lines of every OpenSSH key are the same header; the later ones hold the private key
        for (int i = 2; i < keyLines.size(); i++) {
            if (keyLines.get(i).length() >= 24) {
                SECRETS.put("SSH private key, line " + (i + 2), keyLines.get(i));
            }
        }
        assertThat(SECRETS.keySet()).anyMatch(k -> k.startsWith("SSH private key"));

        scratch = TestServices.sharedDirectory("scratch", true);
        workdir = TestServices.sharedDirectory("access-user", true);
        Path sleep = workdir.resolve("sleep.sh");
        Files.writeString(sleep, "#!/bin/sh\n#SBATCH --output=sleep-%j.out\nsleep \"$1\"\n");
        Files.setPosixFilePermissions(sleep, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path home = TestHome.copyOfProject()
                .with("workflow/slow.yaml", "workflows/slow.yaml")
                .path();

        // secrets in files, readable by this user only: the database password as a file: value
        Path secrets = Files.createTempDirectory("access-secrets");
        Path dbPasswordFile = secrets.resolve("db-password");
        Files.writeString(dbPasswordFile, DB_PASSWORD + "\n");
        Files.setPosixFilePermissions(dbPasswordFile, PosixFilePermissions.fromString("rw-------"));

        // an operator may give any setting as -D: such a secret must not be readable through Jolokia
        System.setProperty("automatix.s3.secret-key", S3_SECRET);
        LOG.attach();
        router = RunningRouter.builder()
                .home(home)
                .services(database, vhost)
                .sshHost("automatix.clusters.hpc")
                .property("automatix.clusters.hpc.scratch", scratch.toString())
                .property(
                        "automatix.clusters.hpc.push-url",
                        "amqp://" + AMQP_USER + ":" + AMQP_PASSWORD + "@127.0.0.1:5672/" + vhost)
                .property("automatix.amqp.user", AMQP_USER)
                .property("automatix.amqp.password", AMQP_PASSWORD)
                .property("automatix.db.user", DB_ROLE)
                .property("automatix.db.password", "file:" + dbPasswordFile)
                .property("automatix.s3.secret-key", S3_SECRET)
                .property("automatix.oidc.client-secret", OIDC_CLIENT_SECRET)
                .property(
                        "automatix.api.users",
                        "operator:" + ApiUsers.sha256(OPERATOR_TOKEN) + ":admin"
                                + ",alice:" + ApiUsers.sha256(ALICE_TOKEN) + ",bob:" + ApiUsers.sha256(BOB_TOKEN)
                                + ",carol:" + ApiUsers.sha256(CAROL_TOKEN))
                .property("automatix.workflow.default-cluster", "hpc")
                .property("automatix.workflow.locations.gpu_module", "standby")
                .property("automatix.workflow.watch-ms", "500")
                .property("automatix.process.plan-ms", "500")
                .property("automatix.process.poll-max-ms", "2000")
                .property("automatix.archive.bundle-runs", "1")
                .property("automatix.archive.poll-ms", "500")
                .start();
        // the routers' job-status key, made in the database at the first start: every job's key
        // derives from it, so it must not be seen anywhere either (hex and base64)
        String statusKey = db.value("SELECT encode(key, 'hex') FROM status_key");
        SECRETS.put("job status key (hex)", statusKey);
        SECRETS.put(
                "job status key (base64)",
                Base64.getEncoder().encodeToString(HexFormat.of().parseHex(statusKey)));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (router != null) {
                router.close();
            }
        } finally {
            System.clearProperty("automatix.s3.secret-key");
            LOG.detach();
            if (database != null) {
                TestServices.dropDatabase(database);
            }
            if (vhost != null) {
                TestServices.deleteVirtualHost(vhost);
            }
            if (amqpUserMade) {
                TestServices.rabbitmqctl("delete_user", AMQP_USER);
            }
            if (dbRoleMade) {
                try (Connection c = DriverManager.getConnection(
                        TestServices.jdbcUrl("postgres"), TestServices.DB_USER, TestServices.DB_PASSWORD)) {
                    c.createStatement().execute("DROP ROLE IF EXISTS " + DB_ROLE);
                }
            }
        }
    }

    // --- 1. tokens ---------------------------------------------------------------------------------

    @Test
    @Order(1)
    void everyApiRouteAnswers401WithoutAValidTokenAndHealthNeedsNone() throws Exception {
        List<ApiRoute> routes = apiRoutes();
        assertThat(routes)
                .extracting(ApiRoute::path)
                .contains(
                        "/api/runs",
                        "/api/status",
                        "/api/openapi.json",
                        "/api/sessions",
                        "/api/sessions/{session}/share");
        // nothing else is served over HTTP without a token: only the status page's static files, the
        // OIDC sign-in's own steps (/auth: 404 while OIDC is off) and /observe
        for (Route r : router.context().getRoutes()) {
            String uri = r.getEndpoint().getEndpointUri();
            if (r.getEndpoint() instanceof RestEndpoint rest) {
                assertThat(rest.getPath())
                        .as("route %s serves %s", r.getRouteId(), uri)
                        .startsWith("/api");
            } else if (uri.startsWith("platform-http:")) {
                String path = path(uri);
                assertThat(path.startsWith("/api/")
                                || path.equals("/status")
                                || path.equals("/status/{file}")
                                || path.startsWith("/auth/"))
                        .as("route %s serves %s", r.getRouteId(), uri)
                        .isTrue();
            }
        }
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("no Authorization header", null);
        bad.put("a wrong token", "Bearer tok-" + UUID.randomUUID());
        bad.put("Bearer with an empty token", "Bearer ");
        bad.put("Bearer alone", "Bearer");
        bad.put(
                "Basic with the token",
                "Basic "
                        + Base64.getEncoder()
                                .encodeToString(("operator:" + OPERATOR_TOKEN).getBytes(StandardCharsets.UTF_8)));
        bad.put("the token under another scheme", "Token " + OPERATOR_TOKEN);
        bad.put("the token without a scheme", OPERATOR_TOKEN);
        bad.put("the right token with trailing junk", "Bearer " + OPERATOR_TOKEN + "junk");
        bad.put("the right token, a space and junk", "Bearer " + OPERATOR_TOKEN + " junk");
        List<String> failures = new ArrayList<>();
        int probes = 0;
        for (ApiRoute route : routes) {
            String path = route.path().replaceAll("\\{[^}]+}", "x_" + TAG);
            for (String method : route.methods()) {
                for (var variant : bad.entrySet()) {
                    HttpResponse<String> r =
                            send(method, path, variant.getValue(), Map.of(), method.equals("GET") ? null : "{}");
                    probes++;
                    if (r.statusCode() != 401) {
                        failures.add(method + " " + path + " with " + variant.getKey() + ": " + r.statusCode() + " "
                                + r.body());
                    }
                }
                // the token in the query string instead of the header
                String query = (path.contains("?") ? "&" : "?") + "Authorization="
                        + URLEncoder.encode("Bearer " + OPERATOR_TOKEN, StandardCharsets.UTF_8);
                HttpResponse<String> r = send(method, path + query, null, Map.of(), method.equals("GET") ? null : "{}");
                probes++;
                if (r.statusCode() != 401) {
                    failures.add(method + " " + path + " with the token as a query parameter: " + r.statusCode() + " "
                            + r.body());
                }
            }
        }
        System.out.printf("AccessIT: %d API routes, %d unauthenticated probes%n", routes.size(), probes);
        assertThat(failures)
                .as("requests without a valid token that were not refused with 401")
                .isEmpty();

        // the right token works, on the same routes (not a router that refuses everything)
        assertThat(send("GET", "/api/runs", "Bearer " + OPERATOR_TOKEN, Map.of(), null)
                        .statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        send("GET", "/observe/health", null, Map.of(), null).statusCode() == 200);
    }

    // --- 2. sessions -------------------------------------------------------------------------------

    @Test
    @Order(2)
    void anotherUserCannotActOnASessionUntilItIsSharedAndAShareTokenWorksOnlyInItsHeader() throws Exception {
        session = "access_" + TAG;
        String s = "/api/sessions/" + session;
        String asAlice = "?owner=alice";
        call(
                ALICE_TOKEN,
                "POST",
                "/api/sessions",
                Map.of("workflow", "slow", "session", session, "directory", workdir.toString()),
                201);
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> "active"
                        .equals(call(ALICE_TOKEN, "GET", s, null, 200)
                                .get("status")
                                .asText()));
        String before = snapshot();

        call(BOB_TOKEN, "GET", s + asAlice, null, 404);
        call(BOB_TOKEN, "GET", s + "/access" + asAlice, null, 404);
        call(BOB_TOKEN, "POST", s + "/steps/slow" + asAlice, Map.of("variables", Map.of("SECONDS", "1")), 404);
        call(BOB_TOKEN, "POST", s + "/cancel" + asAlice, Map.of("step", "slow"), 404);
        call(BOB_TOKEN, "POST", s + "/stop" + asAlice, Map.of("force", true), 404);
        call(BOB_TOKEN, "POST", s + "/share" + asAlice, Map.of("users", List.of("bob"), "token", true), 404);
        // in the body instead of the query
        call(BOB_TOKEN, "POST", s + "/stop", Map.of("force", true, "owner", "alice"), 404);
        // without ?owner: bob's own (nonexistent) session of that name
        call(BOB_TOKEN, "GET", s, null, 404);
        call(BOB_TOKEN, "POST", s + "/stop", Map.of("force", true), 404);
        call(BOB_TOKEN, "POST", s + "/share", Map.of("users", List.of("bob")), 404);
        assertThat(call(BOB_TOKEN, "GET", "/api/sessions", null, 200).findValuesAsText("session"))
                .doesNotContain(session);
        Thread.sleep(1500); // anything bob's requests could have started would show by now
        assertThat(snapshot()).as("alice's session after bob's attempts").isEqualTo(before);

        // shared with bob by name: he reads its status; carol still cannot
        call(ALICE_TOKEN, "POST", s + "/share", Map.of("users", List.of("bob")), 200);
        assertThat(call(BOB_TOKEN, "GET", s + asAlice, null, 200).get("status").asText())
                .isEqualTo("active");
        call(CAROL_TOKEN, "GET", s + asAlice, null, 404);

        // shared by token: carol reads it with the header only
        HttpResponse<String> shared =
                send("POST", s + "/share", "Bearer " + ALICE_TOKEN, Map.of(), "{\"token\": true}");
        assertThat(shared.statusCode()).as(shared.body()).isEqualTo(200);
        String token = JSON.readTree(shared.body()).get("token").asText();
        assertThat(token).hasSizeGreaterThanOrEqualTo(32);
        // shown once, in that answer: from here on it is a secret like any other
        API_BODIES.remove(API_BODIES.size() - 1);
        API_BODIES.add(new String[] {
            "POST " + s + "/share (token shown once)",
            shared.statusCode() + " " + shared.headers().map() + "\n"
                    + shared.body().replace(token, "<shown once>")
        });
        SECRETS.put("session share token", token);

        assertThat(call(CAROL_TOKEN, "GET", s + asAlice, null, 200, Map.of("X-Automatix-Share-Token", token))
                        .get("status")
                        .asText())
                .isEqualTo("active");
        // the token with its first character changed, whatever that character is
        call(
                CAROL_TOKEN,
                "GET",
                s + asAlice,
                null,
                404,
                Map.of("X-Automatix-Share-Token", (token.charAt(0) == '0' ? "1" : "0") + token.substring(1)));
        call(CAROL_TOKEN, "GET", s + asAlice, null, 404, Map.of("X-Automatix-Share-Token", "wrong"));
        call(CAROL_TOKEN, "GET", s + asAlice, null, 404);
        call(CAROL_TOKEN, "GET", s + asAlice + "&X-Automatix-Share-Token=" + token, null, 404);
        call(CAROL_TOKEN, "GET", s + asAlice + "&share_token=" + token, null, 404);
        call(CAROL_TOKEN, "POST", s + "/cancel" + asAlice, Map.of("step", "slow", "share_token", token), 404);
        call(CAROL_TOKEN, "POST", s + "/stop" + asAlice, Map.of("force", true, "share_token", token), 404);
        // a share token is not an API token
        assertThat(send("GET", s + asAlice, "Bearer " + token, Map.of(), null).statusCode())
                .isEqualTo(401);
        // the share token lets carol use the session, never share it on
        call(
                CAROL_TOKEN,
                "POST",
                s + "/share" + asAlice,
                Map.of("users", List.of("carol")),
                404,
                Map.of("X-Automatix-Share-Token", token));
        String after = db.value(
                "SELECT status || ' ' || shared_with::text FROM workflow_sessions WHERE owner = 'alice' AND name = ?",
                session);
        assertThat(after).startsWith("active ").doesNotContain("carol");
    }

    // --- 3. Jolokia --------------------------------------------------------------------------------

    @Test
    @Order(3)
    void jolokiaReadsListsAndSearchesButNeverWritesOrInvokes() throws Exception {
        String route = "org.apache.camel:context=automatix,type=routes,name=\\\"api-runs\\\"";
        String context = "org.apache.camel:context=automatix,type=context,name=\\\"automatix\\\"";
        JsonNode read = jolokia("{\"type\":\"read\",\"mbean\":\"" + route + "\",\"attribute\":\"State\"}");
        assertThat(read.get("status").asInt()).as(read.toString()).isEqualTo(200);
        assertThat(read.get("value").asText()).isEqualTo("Started");
        assertThat(jolokia("{\"type\":\"list\",\"path\":\"java.lang/type=Memory\"}")
                        .get("status")
                        .asInt())
                .isEqualTo(200);
        JsonNode search = jolokia("{\"type\":\"search\",\"mbean\":\"org.apache.camel:type=routes,*\"}");
        assertThat(search.get("status").asInt()).isEqualTo(200);
        assertThat(search.get("value").size()).isGreaterThan(10);
        assertThat(jolokia("{\"type\":\"version\"}").get("status").asInt()).isEqualTo(200);
        assertThat(jolokiaGet("/observe/jolokia/version").statusCode()).isEqualTo(200);

        List<String> refusedPosts = List.of(
                "{\"type\":\"exec\",\"mbean\":\"" + route + "\",\"operation\":\"stop()\"}",
                "{\"type\":\"exec\",\"mbean\":\"" + route + "\",\"operation\":\"stop\"}",
                "{\"type\":\"exec\",\"mbean\":\"" + context + "\",\"operation\":\"stop()\"}",
                "{\"type\":\"exec\",\"mbean\":\"" + context + "\",\"operation\":\"suspend()\"}",
                "{\"type\":\"exec\",\"mbean\":\"java.lang:type=Memory\",\"operation\":\"gc\"}",
                "{\"type\":\"exec\",\"mbean\":\"java.lang:type=Memory\",\"operation\":\"gc()\"}",
                "{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=DiagnosticCommand\",\"operation\":\"vmSystemProperties\"}",
                "{\"type\":\"write\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"Verbose\",\"value\":true}",
                "{\"type\":\"write\",\"mbean\":\"" + context + "\",\"attribute\":\"Tracing\",\"value\":true}",
                "{\"type\":\"write\",\"mbean\":\"" + route + "\",\"attribute\":\"Tracing\",\"value\":true}",
                // a bulk request smuggling an exec behind a read
                "[{\"type\":\"read\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"Verbose\"},"
                        + "{\"type\":\"exec\",\"mbean\":\"" + route + "\",\"operation\":\"stop()\"}]");
        List<String> failures = new ArrayList<>();
        for (String request : refusedPosts) {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create(router.url("/observe/jolokia")))
                            .timeout(Duration.ofSeconds(20))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(request))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            JOLOKIA_BODIES.add(new String[] {"POST " + request, r.body()});
            if (!refused(r, request.startsWith("[") ? 1 : 0)) {
                failures.add("POST " + request + ": " + r.statusCode() + " " + r.body());
            }
        }
        String q = "%22";
        List<String> refusedGets = List.of(
                "/observe/jolokia/exec/org.apache.camel:context=automatix,type=routes,name=" + q + "api-runs" + q
                        + "/stop()",
                "/observe/jolokia/exec/org.apache.camel:context=automatix,type=context,name=" + q + "automatix" + q
                        + "/stop()",
                "/observe/jolokia/exec/java.lang:type=Memory/gc()",
                "/observe/jolokia/exec/java.lang:type=Memory/gc",
                "/observe/jolokia/write/java.lang:type=Memory/Verbose/true",
                "/observe/jolokia/write/org.apache.camel:context=automatix,type=context,name=" + q + "automatix" + q
                        + "/Tracing/true",
                "/observe/jolokia/?p=/exec/java.lang:type=Memory/gc()");
        for (String url : refusedGets) {
            HttpResponse<String> r = jolokiaGet(url);
            if (!refused(r, 0)) {
                failures.add("GET " + url + ": " + r.statusCode() + " " + r.body());
            }
        }
        assertThat(failures).as("Jolokia requests that were not refused").isEmpty();
        assertThat(router.context().getRouteController().getRouteStatus("api-runs"))
                .isEqualTo(ServiceStatus.Started);
        assertThat(router.context().getStatus()).isEqualTo(ServiceStatus.Started);
        assertThat(router.context().isTracing()).isFalse();
        assertThat(ManagementFactory.getMemoryMXBean().isVerbose()).isFalse();
        assertThat(send("GET", "/api/runs", "Bearer " + OPERATOR_TOKEN, Map.of(), null)
                        .statusCode())
                .isEqualTo(200);
    }

    // --- 4. secrets --------------------------------------------------------------------------------

    @Test
    @Order(4)
    void noSecretAppearsInTheLogTheEventsTheApiTheEndpointUrisOrJolokia() throws Exception {
        // runs offered over the API, as the acquisition system would (no data: their transfers fail)
        for (int i = 1; i <= 3; i++) {
            HttpResponse<String> r = send(
                    "POST",
                    "/api/runs",
                    "Bearer " + OPERATOR_TOKEN,
                    Map.of(),
                    "{\"name\": \"offer_" + TAG + "_" + i + "\", \"source_path\": \""
                            + System.getProperty("java.io.tmpdir") + "/nonexistent/offer_" + i + "\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        }
        // one run processed on SLURM over SSH (status pushed with the push URL), then archived to S3
        String run = "acc_" + TAG;
        db.ondeck(run, "hpc", "fulliautomatix");
        db.awaitProcessed(run, Duration.ofSeconds(120));
        assertThat(db.value(
                        "SELECT count(*) FROM jobs WHERE scheduler_job_name = ? AND state = 'succeeded'",
                        run + ".process.1"))
                .isEqualTo("1");
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(db.value(
                                "SELECT raw_status || ' ' || coalesce(raw_location, '') || coalesce(' ' || last_error, '')"
                                        + " FROM runs WHERE name = ?",
                                run))
                        .startsWith("archived s3://"));
        // a failed request or two, whose errors get logged
        send("POST", "/api/runs", "Bearer " + OPERATOR_TOKEN, Map.of(), "{\"name\": \"-bad\"}");
        send(
                "POST",
                "/api/runs/" + run + "/restore",
                "Bearer " + OPERATOR_TOKEN,
                Map.of(),
                "{\"directory\": \"relative\"}");

        // every GET of the API, as alice (her session) and as the operator
        for (ApiRoute route : apiRoutes()) {
            if (route.methods().contains("GET")) {
                String path = route.path()
                        .replace("{name}", run)
                        .replace("{session}", session == null ? "none" : session)
                        .replaceAll("\\{[^}]+}", "x");
                send("GET", path, "Bearer " + ALICE_TOKEN, Map.of(), null);
                send("GET", path, "Bearer " + OPERATOR_TOKEN, Map.of(), null);
            }
        }
        for (String path : List.of(
                "/api/status",
                "/api/openapi.json",
                "/api/runs?limit=1000",
                "/api/jobs?limit=1000",
                "/api/bundles",
                "/api/supervisions",
                "/api/transfers",
                "/api/runs/" + run,
                "/api/runs/offer_" + TAG + "_1")) {
            assertThat(send("GET", path, "Bearer " + OPERATOR_TOKEN, Map.of(), null)
                            .statusCode())
                    .as(path)
                    .isEqualTo(200);
        }
        for (String path : List.of(
                "/observe/health",
                "/observe/health?exposureLevel=full",
                "/observe/metrics",
                "/observe/info",
                "/status",
                "/status/status.js")) {
            send("GET", path, null, Map.of(), null);
        }

        // Jolokia: every Camel MBean (endpoint URIs included), the JVM's arguments and properties, every domain
        JsonNode endpoints = jolokia(
                "{\"type\":\"read\",\"mbean\":\"org.apache.camel:type=endpoints,*\",\"attribute\":\"EndpointUri\"}");
        assertThat(endpoints.toString()).contains("platform-http").contains("spring-rabbitmq");
        jolokia("{\"type\":\"read\",\"mbean\":\"org.apache.camel:*\",\"config\":{\"ignoreErrors\":true}}");
        JsonNode args =
                jolokia("{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\",\"attribute\":\"InputArguments\"}");
        JsonNode props =
                jolokia("{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\",\"attribute\":\"SystemProperties\"}");
        jolokia("{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\"}");
        jolokia("{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\",\"config\":{\"ignoreErrors\":true}}");
        jolokia(
                "{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\",\"attribute\":[\"SystemProperties\",\"InputArguments\",\"VmName\"]}");
        jolokia("{\"type\":\"read\",\"mbean\":\"java.lang:*\",\"config\":{\"ignoreErrors\":true}}");
        jolokiaGet("/observe/jolokia/read/java.lang:type=Runtime/SystemProperties");
        jolokiaGet("/observe/jolokia/read/java.lang:type=Runtime/InputArguments");
        jolokiaGet("/observe/jolokia/read/java.lang:type=Runtime");
        jolokiaGet("/observe/jolokia/list");
        JsonNode domains = jolokia("{\"type\":\"search\",\"mbean\":\"*:*\"}");
        TreeSet<String> names = new TreeSet<>();
        domains.get("value")
                .forEach(n -> names.add(n.asText().substring(0, n.asText().indexOf(':'))));
        for (String domain : names) {
            jolokia("{\"type\":\"read\",\"mbean\":\"" + domain.replace("\"", "\\\"")
                    + ":*\",\"config\":{\"ignoreErrors\":true}}");
        }
        System.out.printf(
                "AccessIT: JVM arguments read: %s; system properties read: %s%n",
                args.get("status"), props.get("status"));

        // the places: each a list of (label, text searched)
        Map<String, List<String[]>> places = new LinkedHashMap<>();
        String log = LOG.text();
        assertThat(log).as("the captured log").contains("Database:").contains("Bundle");
        places.put("the router's log", List.<String[]>of(new String[] {"log", log}));
        List<String> events =
                db.column("SELECT coalesce(type, '') || ' ' || coalesce(detail::text, '') || ' ' || coalesce(actor, '')"
                        + " || ' ' || coalesce(entity_name, '') FROM events");
        assertThat(events).hasSizeGreaterThan(10);
        places.put(
                "the events (" + events.size() + " rows)",
                events.stream().map(e -> new String[] {"event", e}).toList());
        places.put("the API's answers (" + API_BODIES.size() + ")", new ArrayList<>(API_BODIES));
        places.put("Jolokia's answers (" + JOLOKIA_BODIES.size() + ")", new ArrayList<>(JOLOKIA_BODIES));
        List<String[]> uris = new ArrayList<>();
        for (Endpoint e : router.context().getEndpoints()) {
            uris.add(new String[] {"endpoint", e.getEndpointUri()});
        }
        for (Route r : router.context().getRoutes()) {
            uris.add(new String[] {"route " + r.getRouteId(), r.getEndpoint().getEndpointUri()});
        }
        places.put("the endpoint URIs (" + uris.size() + ")", uris);

        List<String> leaks = new ArrayList<>();
        for (var place : places.entrySet()) {
            for (String[] entry : place.getValue()) {
                for (var secret : SECRETS.entrySet()) {
                    String text = entry[1] == null ? "" : entry[1];
                    int at = text.indexOf(secret.getValue());
                    if (at >= 0) {
                        leaks.add(secret.getKey() + " in " + place.getKey() + ", " + entry[0] + ": ..."
                                + text.substring(Math.max(0, at - 300), Math.min(text.length(), at + 100)) + "...");
                    }
                }
            }
        }
        System.out.printf(
                "AccessIT: %d secrets checked in %d places (%d log chars, %d API answers, %d Jolokia answers)%n",
                SECRETS.size(), places.size(), log.length(), API_BODIES.size(), JOLOKIA_BODIES.size());
        assertThat(leaks).as("secrets seen").isEmpty();
    }

    // --- 5. -D settings of a router process ---------------------------------------------------------

    @Test
    @Order(5)
    void aSecretGivenAsDashDToARouterProcessIsNotReadableThroughJolokiaNorLogged() throws Exception {
        String db2 = TestServices.createDatabase();
        String vh2 = TestServices.createVirtualHost();
        try {
            Path work = Files.createTempDirectory("access-process");
            Map<String, String> settings = new java.util.HashMap<>(
                    TestServices.routerSettings(db2, vh2, "access-" + TAG, work.resolve("data")));
            settings.put("automatix.s3.secret-key", S3_SECRET); // as java -Dautomatix.s3.secret-key=... -jar
            try (RouterProcess process = RouterProcess.start(work, "router.log", settings)) {
                List<String> answers = new ArrayList<>();
                for (String path : List.of(
                        "/observe/jolokia/read/java.lang:type=Runtime/InputArguments",
                        "/observe/jolokia/read/java.lang:type=Runtime/SystemProperties",
                        "/observe/jolokia/read/java.lang:type=Runtime",
                        "/observe/jolokia/read/java.lang:*",
                        "/observe/health?exposureLevel=full",
                        "/observe/info",
                        "/api/status")) {
                    HttpResponse<String> r = process.get(path);
                    answers.add(path + " -> " + r.statusCode() + "\n" + r.body());
                }
                HttpResponse<String> vm = process.get("/observe/jolokia/read/java.lang:type=Runtime/VmName");
                assertThat(vm.body()).contains("\"status\":200"); // Jolokia answers reads at all
                String log = process.log();
                assertThat(log).contains("Database:");
                for (String answer : answers) {
                    assertThat(answer)
                            .as("a -D secret read through the router process")
                            .doesNotContain(S3_SECRET);
                }
                assertThat(log).as("the router process's log").doesNotContain(S3_SECRET);
            }
        } finally {
            TestServices.dropDatabase(db2);
            TestServices.deleteVirtualHost(vh2);
        }
    }

    // --- helpers -----------------------------------------------------------------------------------

    private record ApiRoute(String id, String path, List<String> methods) {}

    /** The routes under /api of the running context (REST DSL verbs or platform-http), with the methods each accepts. */
    private static List<ApiRoute> apiRoutes() {
        List<ApiRoute> routes = new ArrayList<>();
        for (Route r : router.context().getRoutes()) {
            if (r.getEndpoint() instanceof RestEndpoint rest) {
                String path = rest.getPath() + (rest.getUriTemplate() == null ? "" : "/" + rest.getUriTemplate());
                routes.add(new ApiRoute(
                        r.getRouteId(),
                        path.replaceAll("/+", "/").replaceFirst("^/*", "/"),
                        List.of(rest.getMethod().toUpperCase(Locale.ROOT))));
                continue;
            }
            String uri = r.getEndpoint().getEndpointUri();
            if (!uri.matches("platform-http:/*api(/.*|\\?.*|)")) {
                continue;
            }
            String methods = "GET,POST";
            int q = uri.indexOf('?');
            if (q >= 0) {
                for (String p : uri.substring(q + 1).split("&")) {
                    String[] kv = p.split("=", 2);
                    if (kv[0].equals("httpMethodRestrict") && kv.length == 2) {
                        methods = URLDecoder.decode(kv[1], StandardCharsets.UTF_8);
                    }
                }
            }
            routes.add(new ApiRoute(r.getRouteId(), path(uri), List.of(methods.split(","))));
        }
        return routes;
    }

    private static String path(String uri) {
        String rest = uri.substring("platform-http:".length());
        int q = rest.indexOf('?');
        return URLDecoder.decode((q >= 0 ? rest.substring(0, q) : rest), StandardCharsets.UTF_8)
                .replaceFirst("^/*", "/");
    }

    private static HttpResponse<String> send(
            String method, String path, String authorization, Map<String, String> headers, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(router.url(path)))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        headers.forEach(b::header);
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        // the request (which may carry a token on purpose) is the label; the answer, headers included, is searched
        API_BODIES.add(new String[] {
            method + " " + path, r.statusCode() + " " + r.headers().map() + "\n" + r.body()
        });
        return r;
    }

    private static JsonNode call(String token, String method, String path, Object body, int expected) throws Exception {
        return call(token, method, path, body, expected, Map.of());
    }

    private static JsonNode call(
            String token, String method, String path, Object body, int expected, Map<String, String> headers)
            throws Exception {
        HttpResponse<String> r =
                send(method, path, "Bearer " + token, headers, body == null ? null : JSON.writeValueAsString(body));
        assertThat(r.statusCode())
                .as(method + " " + path + " " + headers.keySet() + ": " + r.body())
                .isEqualTo(expected);
        return JSON.readTree(r.body());
    }

    private static JsonNode jolokia(String request) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(router.url("/observe/jolokia")))
                        .timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(request))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JOLOKIA_BODIES.add(new String[] {"POST " + request + " -> " + r.statusCode(), r.body()});
        return JSON.readTree(r.body());
    }

    private static HttpResponse<String> jolokiaGet(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(router.url(path)))
                        .timeout(Duration.ofSeconds(60))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JOLOKIA_BODIES.add(new String[] {"GET " + path + " -> " + r.statusCode(), r.body()});
        return r;
    }

    /** Refused: HTTP 403, or Jolokia's status 403 (for a bulk request, of the element at that index). */
    private static boolean refused(HttpResponse<String> r, int index) {
        if (r.statusCode() == 403) {
            return true;
        }
        try {
            JsonNode answer = JSON.readTree(r.body());
            JsonNode one = answer.isArray() ? answer.get(index) : answer;
            return one != null && one.path("status").asInt() == 403;
        } catch (Exception e) {
            return false;
        }
    }

    /** Alice's session as the database has it (but the router's claim on it): state, sharing, steps, services, jobs. */
    private static String snapshot() throws Exception {
        return db.value(
                "SELECT concat_ws(' | ', w.status, w.variables::text, w.shared_with::text, w.share_token_sha256, w.force_stop,"
                        + " w.last_error, w.stopped_at)"
                        + " || ' steps=' || (SELECT count(*) FROM session_steps s WHERE s.session_id = w.id)"
                        + " || ' services=' || coalesce((SELECT string_agg(v.name || ':' || v.status, ',') FROM session_services v WHERE v.session_id = w.id), '')"
                        + " || ' jobs=' || (SELECT count(*) FROM jobs j WHERE j.session_id = w.id)"
                        + " FROM workflow_sessions w WHERE w.owner = 'alice' AND w.name = ?",
                session);
    }

    /** Every log event of this JVM (the router's included), formatted, from io.automatix at DEBUG. */
    static final class Capture extends AbstractAppender {

        private final StringBuffer text = new StringBuffer();

        Capture() {
            super(
                    "access-it-capture",
                    null,
                    PatternLayout.newBuilder()
                            .withPattern("%d{HH:mm:ss.SSS} %-5level [%t] %c - %msg%n%throwable")
                            .build(),
                    true,
                    Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            text.append(((PatternLayout) getLayout()).toSerializable(event));
        }

        String text() {
            return text.toString();
        }

        void attach() {
            LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
            Configuration config = ctx.getConfiguration();
            start();
            config.addAppender(this);
            config.getRootLogger().addAppender(this, Level.ALL, null);
            ctx.updateLoggers();
            Configurator.setLevel("io.automatix", Level.DEBUG);
        }

        void detach() {
            LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
            ctx.getConfiguration().getRootLogger().removeAppender(getName());
            ctx.updateLoggers();
            Configurator.setLevel("io.automatix", Level.INFO);
            stop();
        }
    }
}
