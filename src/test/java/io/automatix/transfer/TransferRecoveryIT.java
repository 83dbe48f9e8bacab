package io.automatix.transfer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;

import io.automatix.testing.RouterProcess;
import io.automatix.testing.TestServices;
import io.automatix.testing.Trees;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Routers as separate processes on one real PostgreSQL and RabbitMQ: a router killed with SIGKILL
 * mid-transfer is recovered by another once its lease lapses, and two routers share a stream of runs
 * without ever transferring one twice. Transfers are slowed with rsync --bwlimit so that they overlap.
 */
class TransferRecoveryIT {

    private String database;
    private String vhost;
    private Path work;
    private Path acquisition;
    private Path scratch;

    @BeforeEach
    void services() throws Exception {
        database = TestServices.createDatabase();
        vhost = TestServices.createVirtualHost();
        work = Files.createTempDirectory("automatix-routers");
        acquisition = Files.createDirectories(work.resolve("acquisition"));
        scratch = Files.createDirectories(work.resolve("scratch"));
    }

    @AfterEach
    void drop() {
        TestServices.dropDatabase(database);
        TestServices.deleteVirtualHost(vhost);
    }

    @Test
    void aRouterKilledMidTransferIsRecoveredByAnother() throws Exception {
        Trees.write(acquisition.resolve("run_killed"), 7, 6_000_000, 500_000);
        try (RouterProcess a = RouterProcess.start(work, "a.log", settings("router-a", "--bwlimit=1000"))) {
            insertRun("run_killed");
            await().atMost(Duration.ofSeconds(30)).until(() -> "transferring".equals(status("run_killed")));
            Thread.sleep(1500); // some bytes are on the cluster, most are not
            a.kill();
        }
        assertThat(status("run_killed")).isEqualTo("transferring");
        // the orphaned rsync dies on its next progress write to the dead router
        await().atMost(Duration.ofSeconds(15))
                .until(() -> !TestServices.run("ps", "-eo", "args")
                        .contains(acquisition.resolve("run_killed").toString()));

        try (RouterProcess b = RouterProcess.start(work, "b.log", settings("router-b", null))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> "ondeck".equals(status("run_killed")));
        }
        assertThat(Trees.digest(scratch.resolve("run_killed")))
                .isEqualTo(Trees.digest(acquisition.resolve("run_killed")));
        assertThat(query("SELECT attempts FROM runs WHERE name = 'run_killed'")).isEqualTo("2");
        assertThat(
                        query(
                                "SELECT string_agg(type || '@' || actor, ',' ORDER BY id) FROM events WHERE entity_name = 'run_killed'"))
                .isEqualTo("run.acquired@postgres,run.transferring@router-a,run.ondeck@router-b");
    }

    @Test
    void twoRoutersShareTheRunsAndNeverTransferOneTwice() throws Exception {
        int runs = 12;
        for (int i = 0; i < runs; i++) {
            Trees.write(acquisition.resolve("run_" + i), i, 1_000_000);
        }
        try (RouterProcess c = RouterProcess.start(work, "c.log", settings("router-c", "--bwlimit=2000"));
                RouterProcess d = RouterProcess.start(work, "d.log", settings("router-d", "--bwlimit=2000"))) {
            for (int i = 0; i < runs; i++) {
                insertRun("run_" + i);
            }
            await().atMost(Duration.ofSeconds(120))
                    .until(() -> query("SELECT count(*) FROM runs WHERE raw_status = 'ondeck'")
                            .equals(String.valueOf(runs)));
        }
        assertThat(query("SELECT count(*) FROM events WHERE type = 'run.transferring'"))
                .isEqualTo(String.valueOf(runs));
        assertThat(query("SELECT max(attempts) FROM runs")).isEqualTo("1");
        String shares = query("SELECT string_agg(actor || '=' || n, ',' ORDER BY actor) FROM "
                + "(SELECT actor, count(*) n FROM events WHERE type = 'run.transferring' GROUP BY actor) t");
        assertThat(shares).as("both routers transferred").contains("router-c=", "router-d=");
        for (int i = 0; i < runs; i++) {
            assertThat(Trees.digest(scratch.resolve("run_" + i)))
                    .isEqualTo(Trees.digest(acquisition.resolve("run_" + i)));
        }
    }

    private Map<String, String> settings(String routerId, String rsyncOptions) {
        Map<String, String> s =
                TestServices.routerSettings(database, vhost, routerId, work.resolve("data-" + routerId));
        s.put("automatix.clusters.local.scratch", scratch.toString());
        s.put("automatix.transfer.lease-seconds", "4");
        s.put("automatix.transfer.poll-ms", "500");
        s.put("automatix.process.enabled", "false"); // the copies are compared byte for byte
        if (rsyncOptions != null) {
            s.put("automatix.transfer.rsync-options", rsyncOptions);
        }
        return s;
    }

    private void insertRun(String name) throws Exception {
        try (Connection c = TestServices.connect(database)) {
            c.createStatement()
                    .execute("INSERT INTO runs (name, source_path) VALUES ('" + name + "', '"
                            + acquisition.resolve(name) + "')");
        }
    }

    private String status(String run) throws Exception {
        return query("SELECT raw_status FROM runs WHERE name = '" + run + "'");
    }

    private String query(String sql) throws Exception {
        try (Connection c = TestServices.connect(database);
                ResultSet rs = c.createStatement().executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
