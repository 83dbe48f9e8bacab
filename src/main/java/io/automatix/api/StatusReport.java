package io.automatix.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.automatix.db.Rows;
import io.automatix.db.SqlFile;
import io.automatix.db.Transactions;
import io.automatix.transfer.Transfers;
import io.automatix.user.Principal;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * {@code GET /api/status}: everything the status page shows, in one answer, so that the page makes
 * one request per refresh. Reads only, outside any transaction (a section may be a few milliseconds
 * newer than the one before it); each query is small: counts, or the newest twenty rows.
 */
public final class StatusReport {

    private static final String RUNS = SqlFile.load(StatusReport.class, "status-runs.sql");
    private static final String JOBS_IN_FLIGHT = SqlFile.load(StatusReport.class, "status-jobs-in-flight.sql");
    private static final String RECENT_JOBS = SqlFile.load(StatusReport.class, "status-recent-jobs.sql");
    private static final String PIPELINE_RUNS = SqlFile.load(StatusReport.class, "status-pipeline-runs.sql");
    private static final String PIPELINE_STEPS = SqlFile.load(StatusReport.class, "status-pipeline-steps.sql");
    private static final String SUPERVISIONS = SqlFile.load(StatusReport.class, "status-supervisions.sql");
    private static final String SESSIONS = SqlFile.load(StatusReport.class, "status-sessions.sql");

    private final NamedParameterJdbcTemplate jdbc;
    private final Transfers transfers;
    private final OwnerScope scope;
    private final ApiQueries queries;

    StatusReport(Transactions transactions, Transfers transfers, OwnerScope scope) {
        this.jdbc = transactions.jdbc();
        this.transfers = transfers;
        this.scope = scope;
        this.queries = new ApiQueries(transactions);
    }

    /**
     * What this principal may see: operators and admins everything; others the runs, jobs,
     * pipelines, transfers, supervisions and sessions they or their groups own (the counts too).
     */
    public Map<String, Object> report(Principal viewer) {
        Map<String, Object> seen = scope.of(viewer);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("generated_at", Instant.now().toString());
        report.put("runs", runs(seen));
        Map<String, Object> jobs = new LinkedHashMap<>();
        jobs.put("in_flight", rows(JOBS_IN_FLIGHT, seen));
        jobs.put("recent", rows(RECENT_JOBS, seen));
        report.put("jobs", jobs);
        report.put("pipelines", pipelines(seen));
        report.put("transfers", scope.transfers(viewer, transfers.status(), queries));
        report.put("supervisions", rows(SUPERVISIONS, scope.of(viewer, Map.of("alerts", false))));
        report.put("alerts", rows(SUPERVISIONS, scope.of(viewer, Map.of("alerts", true))));
        report.put("sessions", rows(SESSIONS, seen));
        // whose view this is: a page shown to a viewer says so
        report.put("viewer", Map.of("user", viewer.name(), "role", viewer.role().stored()));
        return report;
    }

    /** {"raw_status": {"ondeck": 3, ...}, "processed_status": {...}, "total": n}. */
    private Map<String, Object> runs(Map<String, Object> seen) {
        Map<String, Map<String, Long>> byAxis = new LinkedHashMap<>();
        byAxis.put("raw_status", new LinkedHashMap<>());
        byAxis.put("processed_status", new LinkedHashMap<>());
        for (Map<String, Object> row : rows(RUNS, seen)) {
            byAxis.get((String) row.get("axis"))
                    .put((String) row.get("status"), ((Number) row.get("runs")).longValue());
        }
        Map<String, Object> runs = new LinkedHashMap<>();
        runs.put(
                "total",
                byAxis.get("raw_status").values().stream()
                        .mapToLong(Long::longValue)
                        .sum());
        runs.putAll(byAxis);
        return runs;
    }

    /** Each pipeline with runs being processed: its run count, first runs and steps in DAG order. */
    private List<Map<String, Object>> pipelines(Map<String, Object> seen) {
        Map<Object, Map<String, Object>> byName = new LinkedHashMap<>();
        for (Map<String, Object> row : rows(PIPELINE_RUNS, seen)) {
            row.put("steps", new ArrayList<Map<String, Object>>());
            byName.put(row.get("pipeline"), row);
        }
        for (Map<String, Object> step : rows(PIPELINE_STEPS, seen)) {
            Map<String, Object> pipeline = byName.get(step.remove("pipeline"));
            if (pipeline != null) { // else its first run started between the two queries: shown next time
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> steps = (List<Map<String, Object>>) pipeline.get("steps");
                steps.add(step);
            }
        }
        return new ArrayList<>(byName.values());
    }

    private List<Map<String, Object>> rows(String sql, Map<String, ?> params) {
        return Rows.readable(jdbc.queryForList(sql, params));
    }
}
