package io.automatix.process;

import java.io.IOException;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntFunction;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.automatix.db.SqlFile;
import io.automatix.db.Transactions;
import io.automatix.scheduler.JobEnd;
import io.automatix.scheduler.JobStatus;
import io.automatix.scheduler.PartitionRules;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/** The job engine's transitions of jobs and runs: each one statement, each batch one transaction. */
final class JobStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String PLAN_RUNS = sql("plan-runs.sql");
    private static final String INSERT_JOB = sql("insert-job.sql");
    private static final String INSERT_DEPENDENCY = sql("insert-dependency.sql");
    private static final String FAIL_PLAN = sql("fail-plan.sql");
    private static final String CLAIM_JOBS = sql("claim-jobs.sql");
    private static final String RECORD_SUBMISSION = sql("record-submission.sql");
    private static final String POSTPONE_SUBMISSION = sql("postpone-submission.sql");
    private static final String REFUSALS_SO_FAR = sql("refusals-so-far.sql");
    private static final String REJECT_SUBMISSION = sql("reject-submission.sql");
    private static final String APPLY_STATUSES = sql("apply-statuses.sql");
    private static final String START_RUNS = sql("start-runs.sql");
    private static final String RETRY_JOBS = sql("retry-jobs.sql");
    private static final String RECOVERY_CANDIDATES = sql("recovery-candidates.sql");
    private static final String APPLY_RECOVERY = sql("apply-recovery.sql");
    private static final String CASCADE_FAILURES = sql("cascade-failures.sql");
    private static final String FINISH_RUNS = sql("finish-runs.sql");
    private static final String AWAIT_SUPERVISION = sql("await-supervision.sql");
    private static final String GIVE_UP = sql("give-up.sql");
    private static final String ACTIVE_JOBS = sql("active-jobs.sql");
    private static final String ENSURE_POLL = sql("ensure-poll.sql");
    private static final String CLAIM_POLLS = sql("claim-polls.sql");
    private static final String SCHEDULE_POLL = sql("schedule-poll.sql");

    private final Transactions transactions;
    private final String router;
    private final Duration lease;
    private final Duration retryDelay;
    private final SqlParameterValue held;
    /** Each cluster's partition rules, by its name. */
    private final Function<String, PartitionRules> partitions;

    JobStore(
            Transactions transactions,
            String router,
            Duration lease,
            Duration retryDelay,
            List<String> held,
            Function<String, PartitionRules> partitions) {
        this.transactions = transactions;
        this.partitions = partitions;
        this.router = router;
        this.lease = lease;
        this.retryDelay = retryDelay;
        this.held = array(held.toArray(String[]::new));
    }

    /** An ondeck run to create jobs for. */
    record PlannedRun(long id, String name, String pipeline, String cluster) {}

    /** One job of a plan; {@code after} names steps of the same plan; {@code onFailure} may be null. */
    record PlannedJob(
            String step,
            String partition,
            Duration walltime,
            Duration expected,
            int maxAttempts,
            List<String> after,
            RecoveryPolicy onFailure) {}

    interface Planner {
        /** @return the run's jobs in an order where parents come first; throws to fail the run */
        List<PlannedJob> plan(PlannedRun run);
    }

    /** Claims ondeck runs and creates their jobs and dependencies, all in one transaction. */
    List<PlannedRun> plan(int limit, String defaultPipeline, String defaultCluster, Planner planner) {
        return transactions.as(router, jdbc -> {
            List<PlannedRun> runs = jdbc.query(
                    PLAN_RUNS,
                    Map.of("limit", limit, "default_pipeline", defaultPipeline, "default_cluster", defaultCluster),
                    (rs, i) -> new PlannedRun(
                            rs.getLong("id"), rs.getString("name"), rs.getString("pipeline"), rs.getString("cluster")));
            for (PlannedRun run : runs) {
                List<PlannedJob> jobs;
                try {
                    jobs = planner.plan(run);
                } catch (RuntimeException e) {
                    jdbc.update(FAIL_PLAN, Map.of("id", run.id(), "error", String.valueOf(e.getMessage())));
                    continue;
                }
                Map<String, Long> ids = new HashMap<>();
                for (PlannedJob job : jobs) {
                    Map<String, Object> p = new HashMap<>();
                    p.put("run_id", run.id());
                    p.put("run_name", run.name());
                    p.put("step", job.step());
                    p.put("cluster", run.cluster());
                    p.put("partition", job.partition());
                    p.put("walltime_seconds", job.walltime().toSeconds());
                    p.put(
                            "expected_seconds",
                            job.expected() == null ? null : job.expected().toSeconds());
                    p.put("max_attempts", job.maxAttempts());
                    p.put("recovery_policy", job.onFailure() == null ? null : json(job.onFailure()));
                    long id = jdbc.queryForObject(INSERT_JOB, p, Long.class);
                    ids.put(job.step(), id);
                    for (String parent : job.after()) {
                        jdbc.update(INSERT_DEPENDENCY, Map.of("job_id", id, "parent_job_id", ids.get(parent)));
                    }
                }
            }
            return runs;
        });
    }

    /** Claims ready jobs of a cluster, within its cap, under the cluster's lock (routers queue for it). */
    /** @param arrays whether the scheduler takes job arrays (else their tasks are claimed as jobs of their own) */
    List<ClaimedJob> claim(String cluster, int maxJobs, int batch, boolean arrays) {
        return transactions.as(router, jdbc -> {
            jdbc.queryForList(
                    "SELECT pg_advisory_xact_lock(hashtext('automatix.submit.' || :cluster))",
                    Map.of("cluster", cluster));
            Map<String, Object> p = new HashMap<>();
            p.put("cluster", cluster);
            p.put("router", router);
            p.put("lease_seconds", lease.toSeconds());
            p.put("max_jobs", maxJobs);
            p.put("batch", batch);
            p.put("arrays", arrays);
            return jdbc.query(CLAIM_JOBS, p, (rs, i) -> claimed(rs));
        });
    }

    /** @return false when the job is no longer this router's to record */
    boolean recordSubmission(ClaimedJob job, String schedulerJobId, Instant at, String directory) {
        return transactions.as(router, jdbc -> {
            Map<String, Object> p = new HashMap<>();
            p.put("id", job.id());
            p.put("router", router);
            p.put("name", job.name());
            p.put("scheduler_job_id", schedulerJobId);
            p.put("directory", directory);
            p.put("at", at == null ? null : at.getEpochSecond() + at.getNano() / 1e9);
            boolean mine = !jdbc.queryForList(RECORD_SUBMISSION, p, Long.class).isEmpty();
            if (mine) {
                jdbc.update(START_RUNS, Map.of("ids", ids(List.of(job.id()))));
            }
            return mine;
        });
    }

    /** The submission's outcome is unknown: the job is looked up by name after the delay; no refusal counted. */
    void postpone(ClaimedJob job, String note, Duration delay) {
        transactions.as(router, jdbc -> jdbc.update(POSTPONE_SUBMISSION, postponed(job, false, note, null, delay)));
    }

    /**
     * The scheduler refused the job (back-pressure): it waits as pending, the refusal counted against
     * its attempt with the scheduler's words, for the delay {@code backoff} gives after that many.
     *
     * @return the delay, or null when the job was no longer this router's
     */
    Duration refuse(ClaimedJob job, String words, IntFunction<Duration> backoff) {
        return transactions.as(router, jdbc -> {
            List<Integer> before =
                    jdbc.queryForList(REFUSALS_SO_FAR, Map.of("id", job.id(), "router", router), Integer.class);
            if (before.isEmpty()) {
                return null;
            }
            Duration delay = backoff.apply(before.get(0) + 1);
            jdbc.update(POSTPONE_SUBMISSION, postponed(job, true, "refused by the scheduler: " + words, words, delay));
            return delay;
        });
    }

    private Map<String, Object> postponed(ClaimedJob job, boolean refused, String note, String words, Duration delay) {
        Map<String, Object> p = new HashMap<>();
        p.put("id", job.id());
        p.put("router", router);
        p.put("refused", refused);
        p.put("note", note);
        p.put("refusal", words);
        p.put("delay_seconds", delay.toSeconds());
        return p;
    }

    void reject(ClaimedJob job, String error) {
        transactions.as(router, jdbc -> {
            if (jdbc.update(REJECT_SUBMISSION, Map.of("id", job.id(), "router", router, "error", error)) == 1) {
                afterChanges(jdbc, List.of(job.id()));
            }
            return null;
        });
    }

    /** What a batch of status reports changed. */
    record Applied(int changed, boolean released) {}

    /**
     * Applies status reports in one transaction: the transitions, then what follows from them
     * (runs start; failed jobs are retried or cascade; finished runs are processed).
     */
    Applied apply(List<JobStatus> statuses) {
        if (statuses.isEmpty()) {
            return new Applied(0, false);
        }
        int n = statuses.size();
        String[] names = new String[n];
        String[] events = new String[n];
        Integer[] codes = new Integer[n];
        String[] details = new String[n];
        Double[] ats = new Double[n];
        String[] ids = new String[n];
        String[] reasons = new String[n];
        String[] states = new String[n];
        Integer[] signals = new Integer[n];
        Long[] elapsed = new Long[n];
        Long[] maxRss = new Long[n];
        String[] nodes = new String[n];
        for (int i = 0; i < n; i++) {
            JobStatus s = statuses.get(i);
            JobEnd end = s.end() != null ? s.end() : JobEnd.plain(s.event(), s.exitCode(), s.detail());
            names[i] = s.job();
            events[i] = s.event().name().toLowerCase();
            codes[i] = s.exitCode();
            details[i] = end == null ? s.detail() : end.detail();
            ats[i] = s.at() == null ? null : s.at().getEpochSecond() + s.at().getNano() / 1e9;
            ids[i] = s.schedulerJobId();
            if (end != null) {
                reasons[i] = end.reason().name();
                states[i] = end.state();
                signals[i] = end.signal();
                elapsed[i] = end.elapsedSeconds();
                maxRss[i] = end.maxRssBytes();
                nodes[i] = end.node();
            }
        }
        Map<String, Object> p = new HashMap<>();
        p.put("names", array(names));
        p.put("events", array(events));
        p.put("exit_codes", array(codes));
        p.put("details", array(details));
        p.put("ats", array(ats));
        p.put("scheduler_job_ids", array(ids));
        p.put("end_reasons", array(reasons));
        p.put("scheduler_states", array(states));
        p.put("signals", array(signals));
        p.put("elapsed", array(elapsed));
        p.put("max_rss", array(maxRss));
        p.put("nodes", array(nodes));
        return transactions.as(router, jdbc -> {
            List<Long> changed = new ArrayList<>();
            boolean[] succeeded = {false};
            jdbc.query(APPLY_STATUSES, p, rs -> {
                changed.add(rs.getLong("id"));
                succeeded[0] |= "succeeded".equals(rs.getString("state"));
            });
            boolean retried = !changed.isEmpty() && afterChanges(jdbc, changed);
            return new Applied(changed.size(), succeeded[0] || retried);
        });
    }

    /** @return whether a job was put back to pending for a retry */
    private boolean afterChanges(NamedParameterJdbcTemplate jdbc, List<Long> changed) {
        Map<String, Object> ids = Map.of("ids", ids(changed), "delay_seconds", retryDelay.toSeconds(), "held", held);
        jdbc.update(START_RUNS, ids);
        recover(jdbc, changed);
        boolean retried = !jdbc.queryForList(RETRY_JOBS, ids, Long.class).isEmpty();
        jdbc.update(AWAIT_SUPERVISION, ids);
        jdbc.update(CASCADE_FAILURES, ids);
        jdbc.update(FINISH_RUNS, ids);
        return retried;
    }

    /**
     * Failed and lost jobs with a recovery policy: it decides (per reason) whether the job is
     * resubmitted with other resources, fails at once, or is left to the step's retries as without a
     * policy; retry-jobs.sql then puts back what is to be resubmitted, in this same transaction.
     */
    private void recover(NamedParameterJdbcTemplate jdbc, List<Long> changed) {
        List<Map<String, Object>> decisions = new ArrayList<>();
        jdbc.query(RECOVERY_CANDIDATES, Map.of("ids", ids(changed)), rs -> {
            RecoveryPolicy policy = read(rs.getString("recovery_policy"), new TypeReference<RecoveryPolicy>() {});
            RecoveryPolicy.Ended end = new RecoveryPolicy.Ended(
                    rs.getString("state"),
                    rs.getString("end_reason"),
                    (Integer) rs.getObject("exit_code"),
                    rs.getLong("walltime_seconds"),
                    rs.getString("partition"),
                    overrides(rs.getString("resource_overrides")),
                    read(rs.getString("recoveries"), new TypeReference<Map<String, Integer>>() {}));
            RecoveryPolicy.Decision d = policy.decide(end, partitions.apply(rs.getString("cluster"))::choose);
            Map<String, Object> p = new HashMap<>();
            p.put("id", rs.getLong("id"));
            p.put("outcome", d.outcome().name());
            p.put("overrides", json(d.overrides()));
            p.put("walltime_seconds", d.walltimeSeconds());
            p.put("partition", d.partition());
            p.put("recoveries", json(d.counts()));
            p.put("note", d.note());
            decisions.add(p);
        });
        decisions.forEach(p -> jdbc.update(APPLY_RECOVERY, p));
    }

    /** The job failed for good and nothing more will be tried: its dependents are cancelled, its run fails. */
    void giveUp(long jobId) {
        transactions.as(router, jdbc -> {
            jdbc.update(GIVE_UP, Map.of("id", jobId));
            return jdbc.update(CASCADE_FAILURES, Map.of("ids", ids(List.of(jobId)), "held", array(new String[0])));
        });
    }

    /** A job the router believes queued or running on a cluster. */
    record ActiveJob(String name, String jobId, String runName, String directory) {}

    List<ActiveJob> activeJobs(String cluster) {
        return transactions
                .jdbc()
                .query(
                        ACTIVE_JOBS,
                        Map.of("cluster", cluster),
                        (rs, i) -> new ActiveJob(
                                rs.getString("name"),
                                rs.getString("job_id"),
                                rs.getString("run_name"),
                                rs.getString("directory")));
    }

    void ensurePoll(String cluster, Duration interval) {
        transactions.jdbc().update(ENSURE_POLL, Map.of("cluster", cluster, "interval_ms", interval.toMillis()));
    }

    /** @return the clusters (of those given) this router is to poll now, with their current interval in ms */
    Map<String, Long> claimPolls(List<String> clusters) {
        Map<String, Long> due = new HashMap<>();
        transactions.jdbc().query(CLAIM_POLLS, Map.of("router", router, "clusters", clusters), rs -> {
            due.put(rs.getString("cluster"), rs.getLong("interval_ms"));
        });
        return due;
    }

    /** @param soonest only bring the next poll forward, never push it back */
    void schedulePoll(String cluster, Duration interval, boolean soonest) {
        transactions
                .jdbc()
                .update(
                        SCHEDULE_POLL,
                        Map.of("cluster", cluster, "interval_ms", interval.toMillis(), "soonest", soonest));
    }

    private static ClaimedJob claimed(ResultSet rs) throws SQLException {
        Array command = rs.getArray("command");
        return new ClaimedJob(
                rs.getLong("id"),
                "step".equals(rs.getString("kind")) ? ClaimedJob.Kind.STEP : ClaimedJob.Kind.RUN,
                rs.getLong("run_id"),
                rs.getString("step"),
                rs.getString("cluster"),
                rs.getString("scheduler_job_name"),
                rs.getInt("attempt"),
                rs.getString("partition"),
                Duration.ofSeconds(rs.getLong("walltime_seconds")),
                "submitting".equals(rs.getString("was")),
                rs.getString("run_name"),
                rs.getString("pipeline"),
                rs.getString("metadata"),
                rs.getString("raw_location"),
                rs.getString("directory"),
                command == null ? null : List.of((String[]) command.getArray()),
                rs.getString("template"),
                read(rs.getString("template_model"), new TypeReference<Map<String, Object>>() {}),
                read(rs.getString("environment"), new TypeReference<Map<String, String>>() {}),
                rs.getString("workdir"),
                rs.getString("array_name"),
                rs.getInt("array_size"),
                rs.getInt("array_index"),
                rs.getInt("array_throttle"),
                rs.getString("parameter"),
                (Integer) rs.getObject("parameter_index"),
                overrides(rs.getString("resource_overrides")));
    }

    private static <T> T read(String json, TypeReference<T> type) throws SQLException {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readValue(json, type);
        } catch (IOException e) {
            throw new SQLException("unreadable JSON on a job: " + e.getMessage(), e);
        }
    }

    private static Map<String, String> overrides(String json) throws SQLException {
        Map<String, String> overrides = read(json, new TypeReference<Map<String, String>>() {});
        return overrides == null ? Map.of() : overrides;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + value + " as JSON: " + e.getMessage(), e);
        }
    }

    private static SqlParameterValue ids(List<Long> ids) {
        return array(ids.toArray(Long[]::new));
    }

    /** A SQL array parameter (Spring would expand a collection into a list of parameters). */
    private static SqlParameterValue array(Object[] values) {
        return new SqlParameterValue(Types.ARRAY, values);
    }

    private static String sql(String name) {
        return SqlFile.load(JobStore.class, name);
    }
}
