package io.automatix.transfer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.GetResponse;
import io.automatix.testing.AmqpTestClient;
import io.automatix.testing.RunningRouter;
import io.automatix.testing.RunsDb;
import io.automatix.testing.TestServices;
import io.automatix.testing.Trees;
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
 * Runs come only from their source's roots and are restored only into the restore roots: the router's
 * own host (source 'local') and an acquisition host over the real sshd (source 'daq', the same disk
 * seen as automatix-test), to the local cluster and to cluster hpc over SSH (so relayed through
 * staging). {@code /root/.ssh}, a {@code ..} out of the root and a link out of it are refused over
 * the API, over AMQP and for rows the acquisition system inserts, also when the link is swapped in
 * after the offer; nothing of them is copied anywhere. A run inside the roots still goes through.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SourceRootsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path base;
    private static Path allowed;
    private static Path secret;
    private static Path live;
    private static Path data;
    private static Path localScratch;
    private static Path hpcScratch;
    private static Path restoreRoot;
    private static RunningRouter router;
    private static RunsDb db;
    private static AmqpTestClient amqp;

    @BeforeAll
    static void start() throws Exception {
        TestServices.requireSshKey();
        base = TestServices.sharedDirectory("roots", false);
        allowed = Files.createDirectories(base.resolve("allowed"));
        secret = Files.createDirectories(base.resolve("secret"));
        Files.writeString(secret.resolve("id_secret"), "not to be copied");
        Files.createSymbolicLink(allowed.resolve("link_out"), secret);
        live = base.resolve("live");
        restoreRoot = Files.createDirectories(base.resolve("restore"));
        data = Files.createTempDirectory("roots-data");
        localScratch = Files.createTempDirectory("roots-scratch");
        hpcScratch = TestServices.sharedDirectory("roots-scratch", true);
        router = RunningRouter.builder()
                .property("automatix.data-dir", data.toString())
                .property("automatix.process.enabled", "false")
                .property("automatix.transfer.poll-ms", "500")
                .property("automatix.transfer.live-recheck-seconds", "1")
                // an acquisition is live while the file exists: it holds a run back until its link is swapped in
                .property("automatix.transfer.live-check", "test -e " + live)
                .property("automatix.sources.local.roots", allowed.toString())
                .sshHost("automatix.sources.daq")
                .property("automatix.sources.daq.roots", allowed.toString())
                .property("automatix.clusters.local.scratch", localScratch.toString())
                .sshHost("automatix.clusters.hpc")
                .property("automatix.clusters.hpc.scratch", hpcScratch.toString())
                .property("automatix.archive.restore-roots", restoreRoot.toString())
                .property("automatix.archive.poll-ms", "500")
                .property("automatix.archive.bundle-runs", "1")
                .start();
        db = new RunsDb(router.database());
        amqp = AmqpTestClient.rabbitmq(router.vhost());
    }

    @AfterAll
    static void stop() throws Exception {
        if (amqp != null) {
            amqp.close();
        }
        if (router != null) {
            router.close();
        }
    }

    @Test
    @Order(1)
    void theApiRefusesPathsOutOfTheRootsSayingWhatToDo() throws Exception {
        JsonNode ssh = refused("{\"name\":\"api_ssh\",\"source_path\":\"/root/.ssh\"}");
        assertThat(ssh.get("field").asText()).isEqualTo("source_path");
        assertThat(ssh.get("error").asText())
                .contains("source_path /root/.ssh is outside the roots of source 'local' (" + allowed + "): put the"
                        + " run under one of them or add a root to automatix.sources.local.roots");
        assertThat(refused("{\"name\":\"api_dotdot\",\"source_path\":\"" + allowed + "/../secret\"}")
                        .get("error")
                        .asText())
                .contains("'..'");
        assertThat(refused("{\"name\":\"api_link\",\"source_path\":\"" + allowed + "/link_out\"}")
                        .get("error")
                        .asText())
                .contains(
                        "resolves to " + secret + " (through a symbolic link)", "outside the roots of source 'local'");
        assertThat(refused("{\"name\":\"api_daq_ssh\",\"source_host\":\"daq\",\"source_path\":\"/root/.ssh\"}")
                        .get("error")
                        .asText())
                .contains("outside the roots of source 'daq'", "automatix.sources.daq.roots");
        // the router's own files, even where a root would reach them
        assertThat(refused("{\"name\":\"api_data\",\"source_path\":\"" + data + "\"}")
                        .get("error")
                        .asText())
                .contains("outside the roots");
        assertThat(db.value("SELECT count(*) FROM runs WHERE name LIKE 'api_%'"))
                .isEqualTo("0");
    }

    @Test
    @Order(2)
    void amqpOffersOutOfTheRootsAreDeadLetteredWithTheReason() throws Exception {
        List<String> offers = List.of(
                "{\"name\":\"amqp_ssh\",\"source_path\":\"/root/.ssh\"}",
                "{\"name\":\"amqp_dotdot\",\"source_path\":\"" + allowed + "/../secret\"}",
                "{\"name\":\"amqp_link\",\"source_path\":\"" + allowed + "/link_out\"}");
        for (String offer : offers) {
            amqp.publish("automatix.runs", offer);
        }
        List<GetResponse> dead = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            GetResponse m = amqp.take("automatix.dead");
            if (m != null) {
                dead.add(m);
            }
            return dead.size() == offers.size();
        });
        Map<String, String> reasons = new java.util.HashMap<>();
        for (GetResponse m : dead) {
            reasons.put(
                    new String(m.getBody(), StandardCharsets.UTF_8), AmqpTestClient.header(m, "automatix-dead-reason"));
        }
        assertThat(reasons.get(offers.get(0))).contains("field 'source_path'", "outside the roots of source 'local'");
        assertThat(reasons.get(offers.get(1))).contains("field 'source_path'", "'..'");
        assertThat(reasons.get(offers.get(2))).contains("resolves to " + secret);
        assertThat(db.value("SELECT count(*) FROM runs WHERE name LIKE 'amqp_%'"))
                .isEqualTo("0");
    }

    @Test
    @Order(3)
    void rowsTheAcquisitionSystemInsertsFailWithTheReasonBeforeAnyCopy() throws Exception {
        assertThatThrownBy(() -> db.update(
                        "INSERT INTO runs (name, source_path) VALUES ('db_dotdot', ?)", allowed + "/../secret"))
                .hasMessageContaining("runs_source_path_safe");
        db.update("INSERT INTO runs (name, source_path) VALUES ('db_ssh', '/root/.ssh')");
        db.update("INSERT INTO runs (name, source_path) VALUES ('db_link', ?)", allowed + "/link_out");
        // on the acquisition host the link is resolved by realpath over its SSH connection
        db.update(
                "INSERT INTO runs (name, source_host, source_path, cluster) VALUES ('db_daq_link', 'daq', ?, 'hpc')",
                allowed + "/link_out");
        assertThat(awaitFailed("db_ssh")).contains("source_path /root/.ssh is outside the roots of source 'local'");
        assertThat(awaitFailed("db_link")).contains("resolves to " + secret + " (through a symbolic link)");
        assertThat(awaitFailed("db_daq_link"))
                .contains("resolves to " + secret + " (through a symbolic link)", "source 'daq'", "(on daq)");
        assertThat(db.value("SELECT string_agg(DISTINCT type, ',') FROM events WHERE entity_name = 'db_link'"))
                .doesNotContain("run.transferring");
    }

    @Test
    @Order(4)
    void aLinkSwappedInAfterTheOfferIsRefusedBeforeRsync() throws Exception {
        Files.writeString(live, "");
        try {
            for (String host : List.of("local", "daq")) {
                String run = "swap_" + host;
                Trees.write(allowed.resolve(run), 5, 1000);
                String offer = host.equals("local")
                        ? "{\"name\":\"" + run + "\",\"source_path\":\"" + allowed.resolve(run) + "\"}"
                        : "{\"name\":\"" + run + "\",\"source_host\":\"daq\",\"source_path\":\"" + allowed.resolve(run)
                                + "\",\"cluster\":\"hpc\"}";
                var response = router.postJson("/api/runs", offer);
                assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> String.valueOf(db.value("SELECT note FROM runs WHERE name = ?", run))
                                .contains("acquisition live"));
                deleteTree(allowed.resolve(run));
                Files.createSymbolicLink(allowed.resolve(run), secret);
            }
        } finally {
            Files.deleteIfExists(live);
        }
        assertThat(awaitFailed("swap_local")).contains("resolves to " + secret);
        assertThat(awaitFailed("swap_daq")).contains("resolves to " + secret, "(on daq)");
    }

    @Test
    @Order(5)
    void runsInsideTheRootsStillGoThroughAndNothingRefusedWasCopied() throws Exception {
        Trees.write(allowed.resolve("in_local"), 1, 10_000, 20);
        Trees.write(allowed.resolve("in_daq"), 2, 10_000, 20);
        assertThat(router.postJson(
                                "/api/runs",
                                "{\"name\":\"in_local\",\"source_path\":\"" + allowed.resolve("in_local") + "/\"}")
                        .statusCode())
                .isEqualTo(201);
        assertThat(router.postJson(
                                "/api/runs",
                                "{\"name\":\"in_daq\",\"source_host\":\"daq\",\"source_path\":\""
                                        + allowed.resolve("in_daq") + "\",\"cluster\":\"hpc\"}")
                        .statusCode())
                .isEqualTo(201);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> "ondeck ondeck"
                        .equals(db.value("SELECT string_agg(raw_status || coalesce(last_error, ''), ' ' ORDER BY name)"
                                + " FROM runs WHERE name IN ('in_local', 'in_daq')")));
        assertThat(Trees.digest(localScratch.resolve("in_local"))).isEqualTo(Trees.digest(allowed.resolve("in_local")));
        assertThat(Trees.digest(hpcScratch.resolve("in_daq"))).isEqualTo(Trees.digest(allowed.resolve("in_daq")));

        for (Path place : List.of(localScratch, hpcScratch, data.resolve("staging"))) {
            assertThat(files(place))
                    .as(place.toString())
                    .noneMatch(f -> f.getFileName().toString().equals("id_secret"));
        }
        assertThat(files(localScratch).stream()
                        .map(f -> localScratch.relativize(f).getName(0).toString()))
                .containsOnly("in_local");
        assertThat(files(hpcScratch).stream()
                        .map(f -> hpcScratch.relativize(f).getName(0).toString()))
                .containsOnly("in_daq");
        assertThat(files(data.resolve("staging"))).isEmpty();
    }

    @Test
    @Order(6)
    void restoresGoOnlyIntoTheRestoreRoots() throws Exception {
        String run = "restore_me";
        Trees.write(localScratch.resolve(run), 3, 5_000, 10);
        db.processed(run, "local");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> "archived".equals(db.value("SELECT raw_status FROM runs WHERE name = ?", run)));
        Files.createSymbolicLink(restoreRoot.resolve("link_out"), secret);

        var outside = restore(run, "{\"directory\":\"/etc\"}");
        assertThat(outside.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(outside.body()).get("error").asText())
                .contains("directory /etc is outside the restore roots (" + restoreRoot
                        + "): restore under one of them or add a root to automatix.archive.restore-roots");
        var linked = restore(run, "{\"directory\":\"" + restoreRoot.resolve("link_out") + "\"}");
        assertThat(linked.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(linked.body()).get("error").asText())
                .contains("resolves to " + secret + " (through a symbolic link)");
        var dotdot = restore(run, "{\"directory\":\"" + restoreRoot + "/../secret\"}");
        assertThat(dotdot.statusCode()).isEqualTo(400);
        assertThat(Files.exists(secret.resolve(run))).isFalse();
        assertThat(Files.exists(Path.of("/etc", run))).isFalse();

        var inside = restore(run, "{\"directory\":\"" + restoreRoot.resolve("here") + "\"}");
        assertThat(inside.statusCode()).as(inside.body()).isEqualTo(200);
        assertThat(Trees.digest(restoreRoot.resolve("here").resolve(run)))
                .isEqualTo(Trees.digest(localScratch.resolve(run)));
        var byDefault = restore(run, "{}");
        assertThat(byDefault.statusCode()).as(byDefault.body()).isEqualTo(200);
        assertThat(Trees.digest(restoreRoot.resolve(run))).isEqualTo(Trees.digest(localScratch.resolve(run)));
    }

    private static java.net.http.HttpResponse<String> restore(String run, String body) throws Exception {
        return router.postJson("/api/runs/" + run + "/restore", body);
    }

    private static JsonNode refused(String offer) throws Exception {
        var response = router.postJson("/api/runs", offer);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        return JSON.readTree(response.body());
    }

    private static String awaitFailed(String run) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> "transfer_failed".equals(db.value("SELECT raw_status FROM runs WHERE name = ?", run)));
        try {
            return db.value("SELECT last_error FROM runs WHERE name = ?", run);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static List<Path> files(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> !p.equals(dir)).toList();
        }
    }
}
