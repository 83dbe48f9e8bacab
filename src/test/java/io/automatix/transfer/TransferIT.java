package io.automatix.transfer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.automatix.testing.RunningRouter;
import io.automatix.testing.TcpProxy;
import io.automatix.testing.TestServices;
import io.automatix.testing.Trees;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The transfer flow against the real OpenSSH on loopback and real rsync: one directory stands for the
 * acquisition disk (host "daq", reached through a TCP proxy we can cut), one for the cluster scratch
 * (cluster "hpc"). Push mode: the source host runs rsync to the cluster, as in the seed.
 */
class TransferIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path acquisition;
    private static Path scratch;
    private static TcpProxy daqLink;
    private static RunningRouter router;
    private static final String OBELIX = "obelix" + ProcessHandle.current().pid();

    @BeforeAll
    static void start() throws Exception {
        TestServices.requireSshKey();
        acquisition = TestServices.sharedDirectory("acquisition", false);
        scratch = TestServices.sharedDirectory("scratch", true);
        daqLink = new TcpProxy(TestServices.SSH_PORT);
        Path knownHosts = Files.createTempFile("known_hosts", "");
        Files.writeString(
                knownHosts,
                Files.readString(TestServices.SSH_KNOWN_HOSTS)
                        .replace("[127.0.0.1]:" + TestServices.SSH_PORT, "[127.0.0.1]:" + daqLink.port()));
        router = RunningRouter.builder()
                .property("automatix.transfer.mode", "push")
                .property("automatix.process.enabled", "false") // the copies are compared byte for byte
                .property("automatix.transfer.poll-ms", "500")
                .property("automatix.transfer.backoff-seconds", "1")
                .property("automatix.transfer.live-recheck-seconds", "1")
                .sshHost("automatix.sources.daq", daqLink.port(), knownHosts)
                .property("automatix.sources.daq.live-check", "pgrep -x " + OBELIX)
                .property(
                        "automatix.sources.daq.push-ssh",
                        String.join(
                                " ",
                                List.of(
                                        "ssh",
                                        "-p",
                                        String.valueOf(TestServices.SSH_PORT),
                                        "-i",
                                        TestServices.SSH_USER_KEY.toString(),
                                        "-o",
                                        "BatchMode=yes",
                                        "-o",
                                        "StrictHostKeyChecking=yes",
                                        "-o",
                                        "UserKnownHostsFile=" + TestServices.SSH_KNOWN_HOSTS)))
                .sshHost("automatix.clusters.hpc")
                .property("automatix.clusters.hpc.scratch", scratch.toString())
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (router != null) {
            router.close();
        }
        if (daqLink != null) {
            daqLink.close();
        }
    }

    @Test
    void anAcquiredRunArrivesOnDeckWithIdenticalBytes() throws Exception {
        Trees.write(acquisition.resolve("run_ok"), 1, 3_000_000, 1, 0, 70_000, 12_345);
        offer("run_ok", acquisition.resolve("run_ok"));
        awaitStatus("run_ok", "ondeck");
        assertThat(Trees.digest(scratch.resolve("run_ok"))).isEqualTo(Trees.digest(acquisition.resolve("run_ok")));
        assertThat(column("run_ok", "raw_location")).isEqualTo("hpc/" + TestServices.SSH_USER);
        assertThat(column("run_ok", "attempts")).isEqualTo("1");
        assertThat(events("run_ok")).containsExactly("run.acquired", "run.transferring", "run.ondeck");
    }

    @Test
    void aLiveAcquisitionDefersTheTransfer() throws Exception {
        Path fakeDaq = Files.createTempDirectory("bin").resolve(OBELIX);
        Files.copy(Path.of("/bin/sleep"), fakeDaq);
        Process obelix = new ProcessBuilder(fakeDaq.toString(), "120").start();
        try {
            Trees.write(acquisition.resolve("run_live"), 2, 1000);
            offer("run_live", acquisition.resolve("run_live"));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> String.valueOf(column("run_live", "note")).contains("acquisition live"));
            Thread.sleep(2000); // several re-checks while it stays live
            assertThat(column("run_live", "raw_status")).isEqualTo("acquired");
            assertThat(scratch.resolve("run_live")).doesNotExist();
        } finally {
            obelix.destroy();
            obelix.waitFor(5, TimeUnit.SECONDS);
        }
        awaitStatus("run_live", "ondeck");
        assertThat(column("run_live", "note")).isNull();
    }

    @Test
    void aMissingSourceFailsAtOnceWithTheReason() throws Exception {
        offer("run_missing", acquisition.resolve("no_such_run"));
        awaitStatus("run_missing", "transfer_failed");
        assertThat(column("run_missing", "last_error")).contains("No such file or directory");
        assertThat(column("run_missing", "attempts")).isEqualTo("1");
    }

    @Test
    void anSshOutageIsRetriedThenSucceeds() throws Exception {
        Trees.write(acquisition.resolve("run_outage"), 3, 200_000);
        daqLink.down();
        try {
            offer("run_outage", acquisition.resolve("run_outage"));
            await().atMost(Duration.ofSeconds(20)).until(() -> column("run_outage", "last_error") != null);
            assertThat(column("run_outage", "raw_status")).isIn("acquired", "transferring");
            // the source host, what failed and what to do
            assertThat(column("run_outage", "last_error")).contains("daq (", "cannot connect to 127.0.0.1", "To fix: ");
            assertThat(Integer.parseInt(column("run_outage", "attempts")))
                    .as("the failed attempt counts")
                    .isPositive();
        } finally {
            daqLink.up();
        }
        awaitStatus("run_outage", "ondeck");
        assertThat(Trees.digest(scratch.resolve("run_outage")))
                .isEqualTo(Trees.digest(acquisition.resolve("run_outage")));
    }

    @Test
    void progressIsServedWhileNothingRuns() throws Exception {
        JsonNode status = JSON.readTree(router.get("/api/transfers").body());
        assertThat(status.get("dry_run").asBoolean()).isFalse();
        assertThat(status.get("running").isArray()).isTrue();
    }

    @Test
    void hostileNamesAndPathsNeverReachAShell() throws Exception {
        Path pwned = Path.of("/tmp/pwned");
        Files.deleteIfExists(pwned);
        assertThat(router.postJson("/api/runs", "{\"name\":\"x; touch /tmp/pwned\",\"source_host\":\"daq\"}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(router.postJson("/api/runs", "{\"name\":\"ok_name\",\"source_path\":\"/tmp/x;touch /tmp/pwned\"}")
                        .statusCode())
                .isEqualTo(400);
        try (Connection c = router.db()) {
            assertThatThrownBy(
                            () -> c.createStatement()
                                    .execute(
                                            "INSERT INTO runs (name, source_host, source_path) VALUES ('sql_path', 'daq', '/tmp/$(touch /tmp/pwned)')"))
                    .hasMessageContaining("runs_source_path_safe");
            assertThatThrownBy(
                            () -> c.createStatement()
                                    .execute(
                                            "INSERT INTO runs (name, source_host, source_path) VALUES ('sql_host', '-oProxyCommand=touch /tmp/pwned', '/tmp/a')"))
                    .hasMessageContaining("runs_source_host_safe");
        }
        Thread.sleep(1500);
        assertThat(pwned).doesNotExist();
    }

    private static void offer(String run, Path source) throws Exception {
        var response = router.postJson(
                "/api/runs",
                "{\"name\":\"" + run + "\",\"source_host\":\"daq\",\"source_path\":\"" + source
                        + "\",\"cluster\":\"hpc\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    private static void awaitStatus(String run, String status) {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> status.equals(column(run, "raw_status")));
    }

    private static String column(String run, String column) throws Exception {
        try (Connection c = router.db();
                PreparedStatement ps = c.prepareStatement("SELECT " + column + "::text FROM runs WHERE name = ?")) {
            ps.setString(1, run);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static List<String> events(String run) throws Exception {
        try (Connection c = router.db();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT type FROM events WHERE entity = 'run' AND entity_name = ? ORDER BY id")) {
            ps.setString(1, run);
            try (ResultSet rs = ps.executeQuery()) {
                List<String> types = new java.util.ArrayList<>();
                while (rs.next()) {
                    types.add(rs.getString(1));
                }
                return types;
            }
        }
    }
}
