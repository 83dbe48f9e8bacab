package io.automatix.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.automatix.testing.RunningRouter;
import io.automatix.testing.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The process flow on the local cluster (jobs as local processes, status pushed to the real
 * RabbitMQ with amqp-publish) with the shipped pipelines and templates.
 */
class ProcessIT {

    private static Path scratch;
    private static RunningRouter router;

    @BeforeAll
    static void start() throws Exception {
        scratch = Files.createTempDirectory("scratch");
        router = RunningRouter.builder()
                .property("automatix.clusters.local.scratch", scratch.toString())
                .property("automatix.process.plan-ms", "500")
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (router != null) {
            router.close();
        }
    }

    @Test
    void anOndeckRunIsProcessedByTheFulliautomatixPipeline() throws Exception {
        Path data = Files.createDirectories(scratch.resolve("run_local"));
        Files.writeString(data.resolve("events.bin"), "raw");
        ondeck("run_local", "local", null);
        awaitProcessed("run_local", Duration.ofSeconds(60));
        assertThat(Files.readString(data.resolve("processed/inventory.txt"))).contains("./events.bin");
        assertThat(Files.readString(data.resolve(".automatix/run_local.process.1.status"))).startsWith("finished 0 ");
        assertThat(transitions("run", "run_local")).containsSubsequence("none>queued", "queued>processing", "processing>processed");
        assertThat(transitions("job", "run_local.process.1")).containsExactly(">pending", "pending>submitting",
                "submitting>queued", "queued>running", "running>succeeded");
    }

    private void ondeck(String run, String cluster, String pipeline) throws SQLException {
        try (Connection c = router.db(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO runs (name, raw_status, cluster, pipeline) VALUES (?, 'ondeck', ?, ?)")) {
            s.setString(1, run);
            s.setString(2, cluster);
            s.setString(3, pipeline);
            s.executeUpdate();
        }
    }

    private void awaitProcessed(String run, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(200)).until(() -> {
            String status = value("SELECT processed_status || coalesce(' ' || last_error, '') FROM runs WHERE name = ?", run);
            assertThat(status).doesNotStartWith("failed");
            return status.equals("processed");
        });
    }

    private String value(String sql, String arg) throws SQLException {
        try (Connection c = router.db(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, arg);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private List<String> transitions(String entity, String name) throws SQLException {
        List<String> result = new ArrayList<>();
        try (Connection c = router.db(); PreparedStatement s = c.prepareStatement(
                "SELECT coalesce(from_state, '') || '>' || to_state FROM events WHERE entity = ? AND entity_name = ?"
                        + " AND type <> 'run.acquired' AND type NOT LIKE 'run.ondeck' ORDER BY id")) {
            s.setString(1, entity);
            s.setString(2, name);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    result.add(rs.getString(1));
                }
            }
        }
        return result;
    }
}
