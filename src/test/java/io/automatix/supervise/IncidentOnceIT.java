package io.automatix.supervise;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;

import com.zaxxer.hikari.HikariDataSource;
import io.automatix.cluster.Clusters;
import io.automatix.db.Database;
import io.automatix.db.DatabaseSettings;
import io.automatix.db.Transactions;
import io.automatix.process.JobTemplates;
import io.automatix.testing.TestServices;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** Two routers looking at the same failed job at the same moment record one supervision, not two. */
class IncidentOnceIT {

    @Test
    void theSameIncidentSeenByTwoRoutersYieldsOneSupervision() throws Exception {
        String database = TestServices.createDatabase();
        try (HikariDataSource db = Database.open(new DatabaseSettings(
                TestServices.jdbcUrl(database), TestServices.DB_USER, TestServices.DB_PASSWORD, 4))) {
            Database.migrate(db);
            JdbcTemplate jdbc = new JdbcTemplate(db);
            jdbc.update(
                    "INSERT INTO runs (name, raw_status, processed_status) VALUES ('twice', 'ondeck', 'processing')");
            jdbc.update("INSERT INTO jobs (run_id, step, cluster, scheduler_job_name, state, finished_at)"
                    + " SELECT id, 'S' || i, 'hpc', 'twice.S' || i || '.1', 'failed', now() FROM runs, generate_series(1, 20) i"
                    + " WHERE name = 'twice'");
            Path home = Files.createTempDirectory("home");
            Properties clusters = new Properties();
            clusters.setProperty("automatix.clusters.hpc.scheduler", "slurm");
            SupervisionSettings settings = new SupervisionSettings(
                    2,
                    Duration.ofSeconds(1),
                    Duration.ofHours(1),
                    3,
                    100,
                    Duration.ofHours(1),
                    2,
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(60),
                    10,
                    Duration.ofHours(1));
            List<Supervisor> routers = new ArrayList<>();
            for (String router : List.of("router-a", "router-b")) {
                routers.add(new Supervisor(
                        new Transactions(db),
                        router,
                        settings,
                        new JobTemplates(home.resolve("templates")),
                        Clusters.from(clusters, home, null),
                        Map.of("hpc", 2),
                        null));
            }
            CyclicBarrier together = new CyclicBarrier(2);
            List<CompletableFuture<List<Outgoing>>> seen = routers.stream()
                    .map(s -> CompletableFuture.supplyAsync(() -> {
                        try {
                            together.await();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                        return s.detect();
                    }))
                    .toList();
            int published = seen.stream().mapToInt(f -> f.join().size()).sum();
            assertThat(published).isEqualTo(20);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM supervisions", Integer.class))
                    .isEqualTo(20);
            assertThat(jdbc.queryForObject("SELECT count(DISTINCT job_id) FROM supervisions", Integer.class))
                    .isEqualTo(20);
            // and again later: the incidents have their supervisions
            assertThat(routers.get(0).detect()).isEmpty();
        } finally {
            TestServices.dropDatabase(database);
        }
    }
}
