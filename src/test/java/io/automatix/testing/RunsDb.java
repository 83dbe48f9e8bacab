package io.automatix.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The runs database as the flow tests seed and read it. */
public record RunsDb(String database) {

    /** A run as the transfer flow leaves it: on deck on its cluster. */
    public void ondeck(String run, String cluster, String pipeline) throws SQLException {
        update(
                "INSERT INTO runs (name, raw_status, cluster, pipeline) VALUES (?, 'ondeck', ?, ?)",
                run,
                cluster,
                pipeline);
    }

    public void awaitProcessed(String run, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(200)).until(() -> {
            String status =
                    value("SELECT processed_status || coalesce(' ' || last_error, '') FROM runs WHERE name = ?", run);
            assertThat(status).as("run %s", run).doesNotStartWith("failed");
            return status.equals("processed");
        });
    }

    public String value(String sql, Object... args) throws SQLException {
        List<String> rows = column(sql, args);
        return rows.isEmpty() ? null : rows.get(0);
    }

    public List<String> column(String sql, Object... args) throws SQLException {
        List<String> result = new ArrayList<>();
        try (Connection c = TestServices.connect(database);
                PreparedStatement s = c.prepareStatement(sql)) {
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

    public int update(String sql, Object... args) throws SQLException {
        try (Connection c = TestServices.connect(database);
                PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            return s.executeUpdate();
        }
    }

    /** A run as the process flow leaves it: processed, its data on its cluster. */
    public void processed(String run, String cluster) throws SQLException {
        update(
                "INSERT INTO runs (name, raw_status, processed_status, cluster) VALUES (?, 'ondeck', 'processed', ?)",
                run,
                cluster);
    }

    /** The first row of a query, column by column; empty when there is none. */
    public Map<String, String> row(String sql, Object... args) throws SQLException {
        Map<String, String> row = new LinkedHashMap<>();
        try (Connection c = TestServices.connect(database);
                PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
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

    /** The recorded transitions of one entity, as "from>to". */
    public List<String> transitions(String entity, String name) throws SQLException {
        return column(
                "SELECT coalesce(from_state, '') || '>' || to_state FROM events WHERE entity = ? AND entity_name = ?"
                        + " AND type NOT IN ('run.acquired', 'run.ondeck') ORDER BY id",
                entity,
                name);
    }
}
