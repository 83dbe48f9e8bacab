package io.automatix.job;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.automatix.testing.TestServices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The runs database as the process tests read and seed it. */
record RunsDb(String database) {

    /** A run as the transfer flow leaves it: on deck on its cluster. */
    void ondeck(String run, String cluster, String pipeline) throws SQLException {
        update("INSERT INTO runs (name, raw_status, cluster, pipeline) VALUES (?, 'ondeck', ?, ?)", run, cluster, pipeline);
    }

    void awaitProcessed(String run, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(200)).until(() -> {
            String status = value("SELECT processed_status || coalesce(' ' || last_error, '') FROM runs WHERE name = ?", run);
            assertThat(status).as("run %s", run).doesNotStartWith("failed");
            return status.equals("processed");
        });
    }

    String value(String sql, Object... args) throws SQLException {
        List<String> rows = column(sql, args);
        return rows.isEmpty() ? null : rows.get(0);
    }

    List<String> column(String sql, Object... args) throws SQLException {
        List<String> result = new ArrayList<>();
        try (Connection c = TestServices.connect(database); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    result.add(rs.getString(1));
                }
            }
        }
        return result;
    }

    int update(String sql, Object... args) throws SQLException {
        try (Connection c = TestServices.connect(database); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            return s.executeUpdate();
        }
    }

    /** The recorded transitions of one entity, as "from>to". */
    List<String> transitions(String entity, String name) throws SQLException {
        return column("SELECT coalesce(from_state, '') || '>' || to_state FROM events WHERE entity = ? AND entity_name = ?"
                + " AND type NOT IN ('run.acquired', 'run.ondeck') ORDER BY id", entity, name);
    }
}
