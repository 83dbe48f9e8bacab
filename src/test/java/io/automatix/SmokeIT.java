package io.automatix;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.automatix.testing.AmqpTestClient;
import io.automatix.testing.RouterProcess;
import io.automatix.testing.TestServices;
import io.automatix.testing.Trees;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built jar as a user runs it: a separate process on embedded defaults (PostgreSQL, AMQP broker,
 * S3 store, local cluster), ingesting through all three entry points, restarted, with every run
 * still there, transferred to the local cluster's scratch and processed there.
 */
class SmokeIT {

    @Test
    void theJarRunsOnEmbeddedDefaultsAndKeepsRunsAcrossARestart() throws Exception {
        Path work = Files.createTempDirectory("automatix-smoke");
        // where the quick start puts its runs: the default roots of the router's own host, <data>/incoming
        Path acquisition = Files.createDirectories(work.resolve("data/incoming"));
        for (String run : List.of("smoke_http", "smoke_amqp", "smoke_sql")) {
            Trees.write(acquisition.resolve(run), run.hashCode(), 100_000, 10);
        }
        int dbPort = TestServices.freePort();
        int amqpPort = TestServices.freePort();
        // Only the ports move off their defaults, so that a router a developer runs does not collide.
        Map<String, String> ports = Map.of(
                "automatix.embedded.db-port",
                String.valueOf(dbPort),
                "automatix.embedded.amqp-port",
                String.valueOf(amqpPort),
                "automatix.embedded.s3-port",
                String.valueOf(TestServices.freePort()));

        try (RouterProcess router = RouterProcess.start(work, "first.log", ports)) {
            assertThat(router.log())
                    .contains(
                            "Database: embedded PostgreSQL",
                            "Broker: embedded AMQP",
                            "Object store: embedded S3-compatible store",
                            "Cluster local: scheduler local");
            assertThat(router.postJson(
                                    "/api/runs",
                                    "{\"name\":\"smoke_http\",\"source_path\":\"" + acquisition.resolve("smoke_http")
                                            + "\"}")
                            .statusCode())
                    .isEqualTo(201);
            try (AmqpTestClient amqp = new AmqpTestClient("127.0.0.1", amqpPort, "/")) {
                amqp.publish(
                        "automatix.runs",
                        "{\"name\":\"smoke_amqp\",\"source_path\":\"" + acquisition.resolve("smoke_amqp") + "\"}");
            }
            try (Connection c = DriverManager.getConnection(
                    "jdbc:postgresql://127.0.0.1:" + dbPort + "/postgres", "postgres", "")) {
                c.createStatement()
                        .execute("INSERT INTO runs (name, source_path) VALUES ('smoke_sql', '"
                                + acquisition.resolve("smoke_sql") + "')");
            }
            router.awaitStatus("/api/runs/smoke_amqp", 200, Duration.ofSeconds(20));
            router.stop();
        }
        assertThat(RouterProcess.listening(dbPort))
                .as("embedded PostgreSQL stopped with the router")
                .isFalse();
        assertThat(Files.isDirectory(work.resolve("data/postgres"))).isTrue();

        try (RouterProcess again = RouterProcess.start(work, "second.log", ports)) {
            for (String run : List.of("smoke_http", "smoke_amqp", "smoke_sql")) {
                // ingested before the restart, transferred to the local cluster and processed there
                // (the Fulliautomatix pipeline, jobs as local processes) before or after it
                again.awaitBody("/api/runs/" + run, "\"processed_status\":\"processed\"", Duration.ofSeconds(30));
                Map<String, String> copied =
                        Trees.digest(work.resolve("data/scratch").resolve(run));
                assertThat(copied)
                        .containsAllEntriesOf(Trees.digest(acquisition.resolve(run)))
                        .containsKeys("processed/inventory.txt", ".automatix/" + run + ".process.1.status");
            }
        }
    }
}
