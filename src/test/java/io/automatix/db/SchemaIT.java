package io.automatix.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import com.zaxxer.hikari.HikariDataSource;
import io.automatix.testing.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Flyway schema on the real PostgreSQL: checked states, safe names, guarded transitions, events. */
class SchemaIT {

    private static String database;
    private static HikariDataSource dataSource;

    @BeforeAll
    static void migrate() {
        database = TestServices.createDatabase();
        dataSource = Database.open(new DatabaseSettings(
                TestServices.jdbcUrl(database), TestServices.DB_USER, TestServices.DB_PASSWORD, 2));
        Database.migrate(dataSource);
        Database.migrate(dataSource); // a second start finds nothing to do
    }

    @AfterAll
    static void drop() {
        dataSource.close();
        TestServices.dropDatabase(database);
    }

    @Test
    void statusesAndNamesAreChecked() throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO runs (name) VALUES ('schema_ok')");
            assertThatThrownBy(() -> s.execute("INSERT INTO runs (name) VALUES ('schema_ok')"))
                    .hasMessageContaining("duplicate key");
            for (String bad : new String[] {"..", "-rf", "a b", "x;touch", "a/b", ""}) {
                assertThatThrownBy(() -> s.execute("INSERT INTO runs (name) VALUES ('" + bad + "')"))
                        .as(bad)
                        .hasMessageContaining("entity_name");
            }
            assertThatThrownBy(() -> s.execute("UPDATE runs SET raw_status = 'teleported' WHERE name = 'schema_ok'"))
                    .hasMessageContaining("raw_status");
            assertThatThrownBy(() -> s.execute("UPDATE runs SET processed_status = 'maybe' WHERE name = 'schema_ok'"))
                    .hasMessageContaining("processed_status");
        }
    }

    @Test
    void aGuardedTransitionHappensOnceAndWritesItsEvent() throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO runs (name) VALUES ('schema_tx')");
            c.setAutoCommit(false);
            s.execute("SELECT set_config('automatix.actor', 'router-a', true)");
            int first = s.executeUpdate(
                    "UPDATE runs SET raw_status = 'transferring' WHERE name = 'schema_tx' AND raw_status = 'acquired'");
            c.commit();
            int second = s.executeUpdate(
                    "UPDATE runs SET raw_status = 'transferring' WHERE name = 'schema_tx' AND raw_status = 'acquired'");
            c.commit();
            c.setAutoCommit(true);
            assertThat(first).isEqualTo(1);
            assertThat(second).isZero();
            try (ResultSet rs = s.executeQuery("SELECT actor, type, from_state, to_state FROM events "
                    + "WHERE entity = 'run' AND entity_name = 'schema_tx' ORDER BY id")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("type")).isEqualTo("run.acquired");
                assertThat(rs.getString("actor")).isEqualTo(TestServices.DB_USER);
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("type")).isEqualTo("run.transferring");
                assertThat(rs.getString("actor")).isEqualTo("router-a");
                assertThat(rs.getString("from_state")).isEqualTo("acquired");
                assertThat(rs.getString("to_state")).isEqualTo("transferring");
                assertThat(rs.next()).isFalse();
            }
        }
    }

    @Test
    void jobsRecordTheirTransitionsAndRefuseUnknownStates() throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO runs (name) VALUES ('schema_job')");
            s.execute("INSERT INTO jobs (run_id, step, cluster, scheduler_job_name) "
                    + "SELECT id, 'LF', 'local', 'automatix-schema_job-LF-1' FROM runs WHERE name = 'schema_job'");
            s.execute(
                    "UPDATE jobs SET state = 'submitting' WHERE scheduler_job_name = 'automatix-schema_job-LF-1' AND state = 'pending'");
            assertThatThrownBy(() -> s.execute("UPDATE jobs SET state = 'exploded'"))
                    .hasMessageContaining("state");
            assertThatThrownBy(() -> s.execute(
                            "INSERT INTO jobs (step, cluster, scheduler_job_name) VALUES ('x', 'local', 'orphan')"))
                    .hasMessageContaining("check");
            try (ResultSet rs =
                    s.executeQuery("SELECT string_agg(type, ',' ORDER BY id) FROM events WHERE entity = 'job'")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("job.pending,job.submitting");
            }
        }
    }
}
