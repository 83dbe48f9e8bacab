package io.automatix.transfer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.automatix.testing.RunningRouter;
import io.automatix.testing.Trees;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** With automatix.transfer.dry-run the flow reports what it would transfer and changes nothing. */
class TransferDryRunIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aDryRunReportsThePlanAndChangesNothing() throws Exception {
        Path acquisition = Files.createTempDirectory("acquisition");
        Path scratch = Files.createTempDirectory("scratch");
        Trees.write(acquisition.resolve("run_dry"), 5, 123_456, 789);
        try (RunningRouter router = RunningRouter.builder()
                .property("automatix.transfer.dry-run", "true")
                .property("automatix.transfer.poll-ms", "300")
                .property("automatix.clusters.local.scratch", scratch.toString())
                .start()) {
            router.postJson(
                    "/api/runs", "{\"name\":\"run_dry\",\"source_path\":\"" + acquisition.resolve("run_dry") + "\"}");
            router.postJson(
                    "/api/runs",
                    "{\"name\":\"run_dry_missing\",\"source_path\":\"" + acquisition.resolve("nothing") + "\"}");
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                JsonNode status = JSON.readTree(router.get("/api/transfers").body());
                assertThat(status.get("dry_run").asBoolean()).isTrue();
                assertThat(status.get("plan").toString())
                        .contains("run_dry")
                        .contains("Number of regular files transferred: 2")
                        .contains("run_dry_missing")
                        .contains("fail: ");
            });
            try (Connection c = router.db();
                    ResultSet rs = c.createStatement()
                            .executeQuery(
                                    "SELECT count(*) FILTER (WHERE raw_status <> 'acquired'), "
                                            + "count(*) FILTER (WHERE claimed_by IS NOT NULL), (SELECT count(*) FROM events WHERE type <> 'run.acquired') FROM runs")) {
                rs.next();
                assertThat(rs.getInt(1)).as("runs not acquired").isZero();
                assertThat(rs.getInt(2)).as("runs claimed").isZero();
                assertThat(rs.getInt(3)).as("transitions").isZero();
            }
            assertThat(scratch.resolve("run_dry")).doesNotExist();
        }
    }
}
