package io.automatix.workflow;

import java.io.IOException;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.automatix.db.Rows;
import io.automatix.db.SqlFile;
import io.automatix.db.Transactions;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.SqlParameterValue;

/** The workflow sessions' rows: sessions, their services, step instances, their jobs and data movements. */
final class SessionStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> SQL = new ConcurrentHashMap<>();

    private final Transactions transactions;
    private final String router;
    private final Duration lease;

    SessionStore(Transactions transactions, String router, Duration lease) {
        this.transactions = transactions;
        this.router = router;
        this.lease = lease;
    }

    // --- sessions ----------------------------------------------------------------------------------

    long insertSession(
            String user,
            String group,
            String name,
            String workflow,
            String wdf,
            Map<String, String> variables,
            String cluster,
            String directory,
            List<WdfService> services) {
        try {
            return transactions.as(user, jdbc -> {
                Map<String, Object> p = new HashMap<>();
                p.put("name", name);
                p.put("owner", user);
                p.put("owner_group", group);
                p.put("workflow", workflow);
                p.put("wdf", wdf);
                p.put("variables", json(variables));
                p.put("cluster", cluster);
                p.put("directory", directory);
                long id = jdbc.queryForObject(sql("insert-session.sql"), p, Long.class);
                for (WdfService s : services) {
                    Map<String, Object> q = new HashMap<>();
                    q.put("session_id", id);
                    q.put("name", s.name());
                    q.put("type", s.type());
                    q.put("namespace", s.namespace());
                    q.put("flavor", s.flavor());
                    jdbc.update(sql("insert-service.sql"), q);
                }
                return id;
            });
        } catch (DuplicateKeyException e) {
            throw new SessionConflict("you already have a live session named '" + name + "'");
        }
    }

    Optional<Session> find(String owner, String name) {
        return transactions
                .jdbc()
                .query(sql("find-session.sql"), Map.of("owner", owner, "name", name), (rs, i) -> session(rs))
                .stream()
                .findFirst();
    }

    Session byId(long id) {
        return transactions.jdbc().queryForObject(sql("session-by-id.sql"), Map.of("id", id), (rs, i) -> session(rs));
    }

    List<Session> list(String user, String groups, boolean all) {
        return transactions
                .jdbc()
                .query(
                        sql("list-sessions.sql"),
                        Map.of("user", user, "groups", groups, "all", all),
                        (rs, i) -> session(rs));
    }

    /** The session's group, or null. */
    String group(long id) {
        return transactions.jdbc().queryForObject(sql("session-group.sql"), Map.of("id", id), String.class);
    }

    /** @return the new step row's id and instance number */
    long[] insertStep(String user, Session session, String step, Map<String, String> variables) {
        return transactions.as(user, jdbc -> {
            SessionStatus status = StoredState.of(
                    SessionStatus.class,
                    jdbc.queryForObject(sql("lock-session.sql"), Map.of("id", session.id()), String.class));
            if (status != SessionStatus.STARTING && status != SessionStatus.ACTIVE) {
                throw new SessionConflict(
                        "session '" + session.name() + "' is " + status.stored() + ": no step can be run");
            }
            return jdbc.queryForObject(
                    sql("insert-step.sql"),
                    Map.of("session_id", session.id(), "step", step, "variables", json(variables), "user", user),
                    (rs, i) -> new long[] {rs.getLong("id"), rs.getLong("instance")});
        });
    }

    void share(String user, long id, List<String> users, String tokenSha256) {
        Map<String, Object> p = new HashMap<>();
        p.put("id", id);
        p.put("users", new SqlParameterValue(Types.ARRAY, users.toArray(String[]::new)));
        p.put("token_sha256", tokenSha256);
        transactions.as(user, jdbc -> jdbc.update(sql("share-session.sql"), p));
    }

    /** @return false when the session was already stopped */
    boolean requestStop(String user, long id, boolean force) {
        return !transactions
                .as(
                        user,
                        jdbc -> jdbc.queryForList(
                                sql("request-stop.sql"), Map.of("id", id, "force", force), String.class))
                .isEmpty();
    }

    int requestCancel(String user, long sessionId, String step) {
        Map<String, Object> p = new HashMap<>();
        p.put("session_id", sessionId);
        p.put("step", step);
        return transactions
                .as(user, jdbc -> jdbc.queryForList(sql("request-cancel.sql"), p, Long.class))
                .size();
    }

    List<Session> claimSessions() {
        return transactions.as(
                router,
                jdbc -> jdbc.query(
                        sql("claim-sessions.sql"),
                        Map.of("router", router, "lease_seconds", lease.toSeconds()),
                        (rs, i) -> session(rs)));
    }

    void sessionState(long id, SessionStatus status, String error) {
        Map<String, Object> p = new HashMap<>();
        p.put("id", id);
        p.put("status", status.stored());
        p.put("error", error);
        p.put("router", router);
        transactions.as(router, jdbc -> jdbc.update(sql("session-state.sql"), p));
    }

    void releaseSession(long id) {
        transactions.jdbc().update(sql("release-session.sql"), Map.of("id", id, "router", router));
    }

    int liveSteps(long sessionId) {
        return transactions
                .jdbc()
                .queryForObject(sql("live-steps.sql"), Map.of("session_id", sessionId), Integer.class);
    }

    // --- services ----------------------------------------------------------------------------------

    record ServiceRow(
            long id,
            String name,
            String type,
            String namespace,
            String flavor,
            ServiceStatus status,
            Map<String, Object> connection,
            String lastError) {}

    List<ServiceRow> services(long sessionId) {
        return transactions
                .jdbc()
                .query(
                        sql("session-services.sql"),
                        Map.of("session_id", sessionId),
                        (rs, i) -> new ServiceRow(
                                rs.getLong("id"),
                                rs.getString("name"),
                                rs.getString("type"),
                                rs.getString("namespace"),
                                rs.getString("flavor"),
                                StoredState.of(ServiceStatus.class, rs.getString("status")),
                                read(rs.getString("connection"), new TypeReference<Map<String, Object>>() {}),
                                rs.getString("last_error")));
    }

    void serviceState(long id, ServiceStatus status, Map<String, Object> connection, String error) {
        Map<String, Object> p = new HashMap<>();
        p.put("id", id);
        p.put("status", status.stored());
        p.put("connection", json(connection));
        p.put("error", error);
        transactions.as(router, jdbc -> jdbc.update(sql("service-state.sql"), p));
    }

    // --- steps -------------------------------------------------------------------------------------

    record StepRow(
            long id,
            long sessionId,
            String step,
            int instance,
            StepStatus status,
            Map<String, String> variables,
            boolean cancelRequested) {}

    List<StepRow> claimSteps(int limit) {
        return transactions.as(
                router,
                jdbc -> jdbc.query(
                        sql("claim-steps.sql"),
                        Map.of("router", router, "lease_seconds", lease.toSeconds(), "limit", limit),
                        (rs, i) -> new StepRow(
                                rs.getLong("id"),
                                rs.getLong("session_id"),
                                rs.getString("step"),
                                rs.getInt("instance"),
                                StoredState.of(StepStatus.class, rs.getString("status")),
                                read(rs.getString("variables"), new TypeReference<Map<String, String>>() {}),
                                rs.getBoolean("cancel_requested"))));
    }

    void stepState(long id, StepStatus status, StepOutcome outcome, String error, Duration checkAgain) {
        Map<String, Object> p = new HashMap<>();
        p.put("id", id);
        p.put("status", status.stored());
        p.put("outcome", outcome == null ? null : outcome.stored());
        p.put("error", error);
        p.put("check_seconds", checkAgain.toMillis() / 1000.0);
        p.put("router", router);
        transactions.as(router, jdbc -> jdbc.update(sql("step-state.sql"), p));
    }

    /** Moves a step this router holds on to its next state, keeping the claim (it goes on driving it). */
    void moveOn(long id, StepStatus status) {
        transactions.as(
                router,
                jdbc -> jdbc.update(
                        sql("step-moves-on.sql"), Map.of("id", id, "status", status.stored(), "router", router)));
    }

    /** The steps of the session that have succeeded at least once. */
    Set<String> succeededSteps(long sessionId) {
        return new HashSet<>(transactions
                .jdbc()
                .queryForList(sql("succeeded-steps.sql"), Map.of("session_id", sessionId), String.class));
    }

    boolean cancelRequested(long stepId) {
        return Boolean.TRUE.equals(transactions
                .jdbc()
                .queryForObject(sql("step-cancel-requested.sql"), Map.of("id", stepId), Boolean.class));
    }

    void renew(long stepId) {
        transactions.jdbc().update(sql("renew-step.sql"), Map.of("id", stepId, "router", router));
    }

    // --- a step's jobs -----------------------------------------------------------------------------

    record StepJob(
            long id,
            String name,
            String jobId,
            String state,
            Integer exitCode,
            String parameter,
            Integer index,
            String lastError,
            String directory,
            boolean settled) {

        /** Whether the scheduler may still hold it (or the engine still submit it). */
        boolean live() {
            return List.of("pending", "submitting", "queued", "running").contains(state);
        }
    }

    /**
     * One job of a step: its name, and its argv when the step is a command (null: a template); a
     * task of a job array has the array's name and size and its index in it (else null, 0, 0).
     */
    record NewJob(
            String name,
            String parameter,
            Integer index,
            List<String> command,
            String arrayName,
            int arraySize,
            int arrayIndex) {

        NewJob(String name, String parameter, Integer index, List<String> command) {
            this(name, parameter, index, command, null, 0, 0);
        }
    }

    /** What all the jobs of one step share; {@code throttle}: at most this many tasks of each of its arrays at once (0: no limit). */
    record StepJobs(
            long sessionId,
            long stepId,
            String step,
            String cluster,
            String directory,
            String workdir,
            String partition,
            Duration walltime,
            int maxAttempts,
            String template,
            Map<String, Object> templateModel,
            Map<String, String> environment,
            int throttle,
            List<String> after) {}

    /**
     * Creates the step's jobs, pending, in one transaction (those there already are kept), each
     * depending on the jobs of the steps it is after.
     */
    void insertJobs(StepJobs step, List<NewJob> jobs) {
        transactions.as(router, jdbc -> {
            List<Long> parents = step.after().isEmpty()
                    ? List.of()
                    : jdbc.queryForList(
                            sql("step-parent-jobs.sql"),
                            Map.of(
                                    "session_id",
                                    step.sessionId(),
                                    "steps",
                                    new SqlParameterValue(
                                            Types.ARRAY, step.after().toArray(String[]::new))),
                            Long.class);
            for (NewJob job : jobs) {
                Map<String, Object> p = new HashMap<>();
                p.put("session_id", step.sessionId());
                p.put("step_id", step.stepId());
                p.put("step", step.step());
                p.put("cluster", step.cluster());
                p.put("name", job.name());
                p.put("partition", step.partition());
                p.put("walltime_seconds", step.walltime().toSeconds());
                p.put("max_attempts", step.maxAttempts());
                p.put("directory", step.directory());
                p.put("workdir", step.workdir());
                p.put(
                        "command",
                        job.command() == null
                                ? null
                                : new SqlParameterValue(
                                        Types.ARRAY, job.command().toArray(String[]::new)));
                p.put("template", step.template());
                p.put("template_model", json(step.templateModel()));
                p.put("environment", json(step.environment()));
                p.put("parameter", job.parameter());
                p.put("parameter_index", job.index());
                p.put("array_name", job.arrayName());
                p.put("array_size", job.arrayName() == null ? null : job.arraySize());
                p.put("array_index", job.arrayName() == null ? null : job.arrayIndex());
                p.put("array_throttle", job.arrayName() == null || step.throttle() <= 0 ? null : step.throttle());
                for (Long id : jdbc.queryForList(sql("insert-step-job.sql"), p, Long.class)) {
                    for (Long parent : parents) {
                        jdbc.update(sql("insert-step-dependency.sql"), Map.of("job_id", id, "parent_job_id", parent));
                    }
                }
            }
            return null;
        });
    }

    List<StepJob> jobs(long stepId) {
        return transactions.jdbc().query(sql("step-jobs.sql"), Map.of("step_id", stepId), (rs, i) -> stepJob(rs));
    }

    void endJobs(List<Long> ids, String state, String error) {
        if (ids.isEmpty()) {
            return;
        }
        Map<String, Object> p = new HashMap<>();
        p.put("ids", new SqlParameterValue(Types.ARRAY, ids.toArray(Long[]::new)));
        p.put("state", state);
        p.put("error", error);
        transactions.as(router, jdbc -> jdbc.update(sql("fail-step-jobs.sql"), p));
    }

    // --- data movements ----------------------------------------------------------------------------

    long startMovement(long stepId, DataMover mover, String service) {
        Map<String, Object> p = new HashMap<>();
        p.put("step_id", stepId);
        p.put("datamover", mover.name());
        p.put("service", service);
        p.put("trigger", mover.trigger() == DataMover.Trigger.STEP_START ? "step_start" : "step_stop");
        p.put("operation", mover.operation().name().toLowerCase());
        p.put("target", mover.target());
        List<Long> id = transactions.as(router, jdbc -> jdbc.queryForList(sql("start-movement.sql"), p, Long.class));
        return id.isEmpty() ? -1 : id.get(0); // -1: done before (a router died after it)
    }

    void progress(
            long movementId, Integer filesTotal, Long bytesTotal, int filesDone, long bytesDone, String location) {
        Map<String, Object> p = new HashMap<>();
        p.put("id", movementId);
        p.put("files_total", filesTotal);
        p.put("bytes_total", bytesTotal);
        p.put("files_done", filesDone);
        p.put("bytes_done", bytesDone);
        p.put("location", location);
        transactions.jdbc().update(sql("movement-progress.sql"), p);
    }

    void endMovement(long movementId, MovementStatus status, String error) {
        Map<String, Object> p = new HashMap<>();
        p.put("id", movementId);
        p.put("status", status.stored());
        p.put("error", error);
        transactions.as(router, jdbc -> jdbc.update(sql("movement-ended.sql"), p));
    }

    // --- status ------------------------------------------------------------------------------------

    List<Map<String, Object>> stepStatus(long sessionId) {
        return Rows.readable(transactions.jdbc().queryForList(sql("step-status.sql"), Map.of("session_id", sessionId)));
    }

    List<Map<String, Object>> sessionJobs(long sessionId) {
        return Rows.readable(
                transactions.jdbc().queryForList(sql("session-jobs.sql"), Map.of("session_id", sessionId)));
    }

    List<Map<String, Object>> sessionMovements(long sessionId) {
        return Rows.readable(
                transactions.jdbc().queryForList(sql("session-movements.sql"), Map.of("session_id", sessionId)));
    }

    // --- mapping -----------------------------------------------------------------------------------

    private static Session session(ResultSet rs) throws SQLException {
        Array shared = rs.getArray("shared_with");
        Timestamp stopped = rs.getTimestamp("stopped_at");
        return new Session(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("owner"),
                rs.getString("workflow"),
                rs.getString("wdf"),
                read(rs.getString("variables"), new TypeReference<Map<String, String>>() {}),
                rs.getString("cluster"),
                rs.getString("directory"),
                StoredState.of(SessionStatus.class, rs.getString("status")),
                shared == null ? List.of() : Arrays.asList((String[]) shared.getArray()),
                rs.getString("share_token_sha256"),
                rs.getBoolean("force_stop"),
                rs.getString("last_error"),
                rs.getTimestamp("created_at").toInstant(),
                stopped == null ? null : stopped.toInstant());
    }

    private static StepJob stepJob(ResultSet rs) throws SQLException {
        Integer code = rs.getObject("exit_code") == null ? null : rs.getInt("exit_code");
        Integer index = rs.getObject("parameter_index") == null ? null : rs.getInt("parameter_index");
        return new StepJob(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("job_id"),
                rs.getString("state"),
                code,
                rs.getString("parameter"),
                index,
                rs.getString("last_error"),
                rs.getString("directory"),
                rs.getBoolean("settled"));
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value == null ? Map.of() : value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json == null ? "{}" : json, type);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable JSON in the runs database: " + e.getMessage(), e);
        }
    }

    private static String sql(String name) {
        return SQL.computeIfAbsent(name, n -> SqlFile.load(SessionStore.class, n));
    }
}
