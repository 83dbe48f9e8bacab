package io.automatix.run;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.automatix.db.SqlFile;
import io.automatix.db.Transactions;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;

/** Runs in the runs database. */
public final class RunStore {

    private static final String INSERT = SqlFile.load(RunStore.class, "insert-run.sql");
    private static final String FIND = SqlFile.load(RunStore.class, "find-run.sql");
    private static final String COUNT = SqlFile.load(RunStore.class, "count-runs.sql");

    private final Transactions transactions;
    private final ObjectMapper json = new ObjectMapper();

    public RunStore(Transactions transactions) {
        this.transactions = transactions;
    }

    /** Inserts the run unless one of that name exists; either way returns the stored run. */
    public Ingested insertIfAbsent(RunRequest request, String actor) {
        return insertIfAbsent(request, actor, null, null);
    }

    /**
     * As {@link #insertIfAbsent(RunRequest, String)}, owned by {@code owner} and {@code group}
     * (null for the configured default owner). A run that exists keeps its owner.
     */
    public Ingested insertIfAbsent(RunRequest request, String actor, String owner, String group) {
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("name", request.name())
                .addValue("source_host", request.sourceHost())
                .addValue("source_path", request.sourcePath())
                .addValue("pipeline", request.pipeline())
                .addValue("cluster", request.cluster())
                .addValue("metadata", toJson(request.metadata()))
                .addValue("owner", owner, Types.VARCHAR)
                .addValue("owner_group", group, Types.VARCHAR);
        return transactions.as(actor, jdbc -> {
            boolean created = !jdbc.queryForList(INSERT, params, Long.class).isEmpty();
            Run run = jdbc.queryForObject(FIND, Map.of("name", request.name()), (rs, i) -> run(rs));
            return new Ingested(run, created);
        });
    }

    public Optional<Run> find(String name) {
        List<Run> runs = transactions.jdbc().query(FIND, Map.of("name", name), (rs, i) -> run(rs));
        return runs.stream().findFirst();
    }

    /** Run counts: kind ("raw" or "processed") -> status -> count. */
    public Map<String, Map<String, Long>> countByStatus() {
        Map<String, Map<String, Long>> counts = new HashMap<>();
        transactions.jdbc().query(COUNT, rs -> {
            counts.computeIfAbsent(rs.getString("kind"), k -> new HashMap<>())
                    .put(rs.getString("status"), rs.getLong("runs"));
        });
        return counts;
    }

    @SuppressWarnings("unchecked")
    private Run run(ResultSet rs) throws SQLException {
        Map<String, Object> metadata;
        try {
            metadata = json.readValue(rs.getString("metadata"), Map.class);
        } catch (JsonProcessingException e) {
            throw new SQLException("metadata of run " + rs.getString("name") + " is not a JSON object", e);
        }
        return new Run(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("source_host"),
                rs.getString("source_path"),
                rs.getString("raw_status"),
                rs.getString("raw_location"),
                rs.getString("processed_status"),
                rs.getString("pipeline"),
                rs.getString("cluster"),
                metadata,
                rs.getInt("attempts"),
                rs.getString("last_error"),
                time(rs, "created_at"),
                time(rs, "updated_at"));
    }

    private static String time(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toString();
    }

    private String toJson(Map<String, Object> metadata) {
        try {
            return json.writeValueAsString(metadata);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("metadata cannot be written as JSON", e);
        }
    }
}
