package io.automatix.supervise;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.automatix.testing.TestServices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The runs database as the supervise tests read and seed it. */
record Db(String database) {

    void ondeck(String run, String cluster, String pipeline) throws SQLException {
        try (Connection c = TestServices.connect(database); PreparedStatement s = c.prepareStatement(
                "INSERT INTO runs (name, raw_status, cluster, pipeline) VALUES (?, 'ondeck', ?, ?)")) {
            s.setString(1, run);
            s.setString(2, cluster);
            s.setString(3, pipeline);
            s.executeUpdate();
        }
    }

    void awaitProcessed(String run, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(200)).until(() -> {
            String status = value("SELECT processed_status || coalesce(' ' || last_error, '') FROM runs WHERE name = ?", run);
            assertThat(status).as("run %s", run).doesNotStartWith("failed");
            return status.equals("processed");
        });
    }

    String value(String sql, String arg) throws SQLException {
        try (Connection c = TestServices.connect(database); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, arg);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** The run's (first) supervision, column by column; empty when it has none. */
    Map<String, String> supervision(String run) throws SQLException {
        Map<String, String> row = new LinkedHashMap<>();
        try (Connection c = TestServices.connect(database); PreparedStatement s = c.prepareStatement(
                "SELECT s.* FROM supervisions s JOIN runs r ON r.id = s.run_id WHERE r.name = ? ORDER BY s.id LIMIT 1")) {
            s.setString(1, run);
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next()) {
                    ResultSetMetaData md = rs.getMetaData();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        row.put(md.getColumnName(i), rs.getString(i));
                    }
                }
            }
        }
        return row;
    }
}
