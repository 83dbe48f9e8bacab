package io.automatix.db;

import java.io.IOException;
import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.postgresql.util.PGobject;

/** Query results made ready for JSON answers: times as ISO-8601 instants, json columns as JSON, arrays as lists. */
public final class Rows {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Rows() {}

    /** Converts the rows in place and returns them. */
    public static List<Map<String, Object>> readable(List<Map<String, Object>> rows) {
        rows.forEach(row -> row.replaceAll((column, value) -> readable(value)));
        return rows;
    }

    private static Object readable(Object value) {
        try {
            if (value instanceof Timestamp t) {
                return t.toInstant().toString();
            }
            if (value instanceof PGobject json && json.getValue() != null) {
                return JSON.readValue(json.getValue(), Object.class);
            }
            if (value instanceof Array array) {
                return List.of((Object[]) array.getArray());
            }
            return value;
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("unreadable value from the runs database: " + e.getMessage(), e);
        }
    }
}
