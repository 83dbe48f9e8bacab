package io.automatix.transfer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;

import io.automatix.testing.RunningRouter;
import io.automatix.testing.TestServices;
import io.automatix.testing.Trees;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Relay mode with both ends remote (real OpenSSH): the router pulls the run into its staging
 * directory, pushes it to the cluster, verifies source against copy, and leaves no staging behind.
 */
class TransferRelayIT {

    @Test
    void aRunIsRelayedThroughTheRouterHost() throws Exception {
        TestServices.requireSshKey();
        Path acquisition = TestServices.sharedDirectory("acquisition", false);
        Path scratch = TestServices.sharedDirectory("scratch", true);
        Path data = Files.createTempDirectory("automatix-data");
        Trees.write(acquisition.resolve("run_relay"), 11, 2_000_000, 3, 40_000);
        try (RunningRouter router = RunningRouter.builder()
                .property("automatix.data-dir", data.toString())
                .property("automatix.transfer.mode", "relay")
                .property("automatix.process.enabled", "false") // the copies are compared byte for byte
                .property("automatix.transfer.verify", "checksum")
                .sshHost("automatix.sources.daq")
                .sshHost("automatix.clusters.hpc")
                .property("automatix.clusters.hpc.scratch", scratch.toString())
                .start()) {
            var response = router.postJson(
                    "/api/runs",
                    "{\"name\":\"run_relay\",\"source_host\":\"daq\",\"source_path\":\""
                            + acquisition.resolve("run_relay") + "\",\"cluster\":\"hpc\"}");
            assertThat(response.statusCode()).isEqualTo(201);
            await().atMost(Duration.ofSeconds(60)).until(() -> "ondeck".equals(status(router)));
        }
        assertThat(Trees.digest(scratch.resolve("run_relay")))
                .isEqualTo(Trees.digest(acquisition.resolve("run_relay")));
        assertThat(data.resolve("staging/run_relay")).doesNotExist();
    }

    private static String status(RunningRouter router) throws Exception {
        try (Connection c = router.db();
                ResultSet rs =
                        c.createStatement().executeQuery("SELECT raw_status FROM runs WHERE name = 'run_relay'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
