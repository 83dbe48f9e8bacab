package io.automatix.supervise;

import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.automatix.db.SqlFile;
import io.automatix.db.Transactions;

/** The supervise flow's rows: incidents found, supervisions recorded, formatted and dispatched. */
final class SupervisionStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String INCIDENTS = sql("incidents.sql");
    private static final String COUNT = sql("count-supervisions.sql");
    private static final String INSERT = sql("insert-supervision.sql");
    private static final String FIND = sql("find-supervision.sql");
    private static final String FORMATTED = sql("formatted.sql");
    private static final String FAIL = sql("fail-supervision.sql");
    private static final String CLAIM_DISPATCH = sql("claim-dispatch.sql");
    private static final String DISPATCH_LATER = sql("dispatch-later.sql");
    private static final String DISPATCH_ENDED = sql("dispatch-ended.sql");
    private static final String RESUBMITTED = sql("resubmitted.sql");

    /**
     * An incident found; for a stuck one, {@code detail} is the scheduler's last refusal, with how many
     * refusals since when (null and 0 for the others).
     */
    record Candidate(
            long jobId,
            Long runId,
            String cluster,
            int attempt,
            String trigger,
            String detail,
            int refusals,
            Instant refusedSince) {

        boolean stuck() {
            return trigger.equals("stuck");
        }
    }

    private final Transactions transactions;
    private final String router;

    SupervisionStore(Transactions transactions, String router) {
        this.transactions = transactions;
        this.router = router;
    }

    List<Candidate> incidents(List<String> clusters, SupervisionSettings settings) {
        return transactions
                .jdbc()
                .query(
                        INCIDENTS,
                        Map.of(
                                "clusters",
                                clusters,
                                "grace_seconds",
                                settings.lateGrace().toSeconds(),
                                "queued_limit_seconds",
                                settings.queuedLimit().toSeconds(),
                                "stuck_refusals",
                                settings.stuckAfterRefusals(),
                                "stuck_seconds",
                                settings.stuckAfter().toSeconds()),
                        (rs, i) -> new Candidate(
                                rs.getLong("job_id"),
                                (Long) rs.getObject("run_id"),
                                rs.getString("cluster"),
                                rs.getInt("attempt"),
                                rs.getString("trigger"),
                                rs.getString("detail"),
                                rs.getInt("refusals"),
                                rs.getTimestamp("refused_since") == null
                                        ? null
                                        : rs.getTimestamp("refused_since").toInstant()));
    }

    /** @return {for the job, for the run within the period} */
    long[] counts(Candidate c, Duration period) {
        return transactions
                .jdbc()
                .queryForObject(
                        COUNT,
                        params("job_id", c.jobId(), "run_id", c.runId(), "period_seconds", period.toSeconds()),
                        (rs, i) -> new long[] {rs.getLong("for_job"), rs.getLong("for_run")});
    }

    /** @return the new supervision's id, or null when the incident already has one */
    Long insert(Candidate c, int level, String status, String error) {
        Map<String, Object> p = new HashMap<>();
        p.put("job_id", c.jobId());
        p.put("run_id", c.runId());
        p.put("trigger", c.trigger());
        p.put("attempt", c.attempt());
        p.put("level", level);
        p.put("status", status);
        p.put("error", error);
        p.put("detail", c.detail());
        List<Long> ids = transactions.as(router, jdbc -> jdbc.queryForList(INSERT, p, Long.class));
        return ids.isEmpty() ? null : ids.get(0);
    }

    Incident find(long id) {
        List<Incident> found = transactions.jdbc().query(FIND, Map.of("id", id), (rs, i) -> incident(rs));
        return found.isEmpty() ? null : found.get(0);
    }

    boolean formatted(long id, String script, String status) {
        return update(FORMATTED, Map.of("id", id, "script", script, "status", status));
    }

    boolean fail(long id, String error) {
        return update(FAIL, Map.of("id", id, "error", error));
    }

    /** @return the dispatch attempt this is, or 0 when it is not this router's to dispatch now */
    int claimDispatch(long id, Duration lease) {
        List<Integer> attempts = transactions.as(
                router,
                jdbc -> jdbc.queryForList(
                        CLAIM_DISPATCH,
                        Map.of("id", id, "router", router, "lease_seconds", lease.toSeconds()),
                        Integer.class));
        return attempts.isEmpty() ? 0 : attempts.get(0);
    }

    /** @param refund whether the attempt is given back (it did not fail: the cluster waits for a login) */
    void dispatchLater(long id, String error, Duration delay, boolean refund) {
        update(
                DISPATCH_LATER,
                Map.of(
                        "id",
                        id,
                        "router",
                        router,
                        "error",
                        error,
                        "delay_seconds",
                        delay.toSeconds(),
                        "refund",
                        refund ? 1 : 0));
    }

    /** Records the end of a dispatch, and the resubmitted job's next attempt when the script made one. */
    void dispatchEnded(Incident incident, String status, String error, String newName, String schedulerJobId) {
        transactions.as(router, jdbc -> {
            Map<String, Object> p = new HashMap<>();
            p.put("id", incident.id());
            p.put("router", router);
            p.put("status", status);
            p.put("error", error);
            p.put("linked_job_name", schedulerJobId == null ? null : newName);
            if (jdbc.update(DISPATCH_ENDED, p) == 1 && schedulerJobId != null) {
                Map<String, Object> j = new HashMap<>();
                j.put("job_id", incident.jobId());
                j.put("attempt", incident.attempt());
                j.put("new_name", newName);
                j.put("scheduler_job_id", schedulerJobId);
                j.put("supervision_id", incident.id());
                jdbc.update(RESUBMITTED, j);
            }
            return null;
        });
    }

    private boolean update(String sql, Map<String, Object> params) {
        return transactions.as(router, jdbc -> jdbc.update(sql, params)) == 1;
    }

    private static Incident incident(ResultSet rs) throws SQLException {
        return new Incident(
                rs.getLong("id"),
                rs.getString("trigger"),
                rs.getInt("level"),
                rs.getInt("incident_attempt"),
                rs.getString("dispatch_status"),
                rs.getInt("dispatch_attempts"),
                rs.getString("script"),
                rs.getLong("job_id"),
                rs.getString("step"),
                rs.getString("cluster"),
                rs.getString("scheduler_job_name"),
                rs.getString("scheduler_job_id"),
                rs.getInt("attempt"),
                rs.getString("state"),
                rs.getString("partition"),
                rs.getLong("walltime_seconds"),
                (Integer) rs.getObject("exit_code"),
                rs.getString("last_error"),
                (Long) rs.getObject("run_id"),
                rs.getString("run_name"),
                rs.getString("directory"),
                (Integer) rs.getObject("parameter_index"),
                rs.getString("script_name"),
                rs.getString("next_name"),
                rs.getArray("command") == null
                        ? null
                        : List.of((String[]) rs.getArray("command").getArray()),
                rs.getString("workdir"),
                environment(rs.getString("environment")));
    }

    private static Map<String, String> environment(String json) throws SQLException {
        try {
            return json == null ? Map.of() : JSON.readValue(json, new TypeReference<Map<String, String>>() {});
        } catch (IOException e) {
            throw new SQLException("unreadable environment of a job: " + e.getMessage(), e);
        }
    }

    /** Named parameters, some of which may be null. */
    private static Map<String, Object> params(Object... keysAndValues) {
        Map<String, Object> p = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            p.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return p;
    }

    private static String sql(String name) {
        return SqlFile.load(SupervisionStore.class, name);
    }
}
