package io.automatix.workflow;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import io.automatix.cluster.Cluster;
import io.automatix.cluster.Clusters;
import io.automatix.process.JobEngine;
import io.automatix.scheduler.JobSubmission;
import io.automatix.scheduler.WatchedJob;
import io.automatix.ssh.NeedsLogin;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Does what the sessions' commands asked, whichever router takes it: sets a starting session's
 * services up and tears a stopping one's down once its steps have ended; drives each step instance
 * through IOSEA's states:
 * <pre>
 * starting: waits until the steps it is {@code after} have succeeded; step_start data movers,
 *           then its jobs are created pending (one per parameter value, the tasks of one job array
 *           where they can share a submission, of several where they are more than the cluster's
 *           MaxArraySize), depending on the jobs of the steps it is after
 * running:  the job engine submits, retries and monitors them as it does a run's (the cluster's
 *           cap, back-off, look-ups, supervision); the step waits until each has settled
 * stopping: step_stop data movers (after a success)
 * stopped:  with its outcome: succeeded, failed or cancelled
 * </pre>
 * Steps run side by side on a small pool, so a long data mover holds up only its own step.
 */
public final class SessionDriver extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(SessionDriver.class);

    private final SessionStore store;
    private final Sessions sessions;
    private final WorkflowSettings settings;
    private final Clusters clusters;
    private final JobEngine jobs;
    private final DirectoryServices services;
    private final DataMovers movers;
    private final ExecutorService pool;
    private final AtomicInteger busy = new AtomicInteger();

    SessionDriver(
            SessionStore store,
            Sessions sessions,
            WorkflowSettings settings,
            Clusters clusters,
            JobEngine jobs,
            DirectoryServices services,
            DataMovers movers) {
        this.store = store;
        this.sessions = sessions;
        this.settings = settings;
        this.clusters = clusters;
        this.jobs = jobs;
        this.services = services;
        this.movers = movers;
        this.pool = Executors.newFixedThreadPool(settings.concurrency(), r -> {
            Thread t = new Thread(r, "automatix-session-step");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    protected void doStop() {
        pool.shutdownNow();
    }

    /** One look at everything due: sessions to set up or stop, steps to move on. */
    public void drive() {
        if (!settings.enabled()) {
            return;
        }
        for (Session session : store.claimSessions()) {
            try {
                driveSession(session);
            } catch (RuntimeException e) {
                LOG.warn("Session {} of {}: {}", session.name(), session.owner(), e.getMessage());
                store.releaseSession(session.id());
            }
        }
        int free = settings.concurrency() - busy.get();
        if (free > 0) {
            for (SessionStore.StepRow step : store.claimSteps(free)) {
                busy.incrementAndGet();
                pool.execute(() -> {
                    try {
                        driveStep(step);
                    } catch (RuntimeException e) {
                        LOG.warn(
                                "Step {}.{} of session {}: {}",
                                step.step(),
                                step.instance(),
                                step.sessionId(),
                                e.getMessage(),
                                e);
                        store.stepState(
                                step.id(),
                                step.status(),
                                null,
                                e.getMessage(),
                                settings.watchInterval().multipliedBy(5));
                    } finally {
                        busy.decrementAndGet();
                    }
                });
            }
        }
    }

    // --- sessions ----------------------------------------------------------------------------------

    private void driveSession(Session session) {
        Cluster cluster = cluster(session);
        if (clusters.needsLogin(cluster).isPresent()) {
            store.releaseSession(session.id()); // its services wait for a person's login, failing nothing
            return;
        }
        if (session.status() == SessionStatus.STARTING) {
            Wdf wdf = sessions.definition(session, "", Map.of());
            for (SessionStore.ServiceRow service : store.services(session.id())) {
                if (service.status() != ServiceStatus.WAITING) {
                    continue;
                }
                try {
                    String mountpoint = wdf.service(service.name())
                            .map(WdfService::mountpoint)
                            .orElse(null);
                    store.serviceState(
                            service.id(),
                            ServiceStatus.ALLOCATED,
                            services.allocate(clusters.shell(cluster), cluster, session, service, mountpoint),
                            null);
                } catch (IOException | RuntimeException e) {
                    store.serviceState(service.id(), ServiceStatus.FAILED, service.connection(), e.getMessage());
                    tearDown(session, cluster);
                    store.sessionState(
                            session.id(), SessionStatus.FAILED, "service " + service.name() + ": " + e.getMessage());
                    return;
                }
            }
            store.sessionState(session.id(), SessionStatus.ACTIVE, null);
            LOG.info("Session {} of {} is active", session.name(), session.owner());
            return;
        }
        // stopping: when forced, its steps are cancelled; once none is live, its services go
        if (session.forceStop()) {
            store.requestCancel("automatix", session.id(), null);
        }
        if (store.liveSteps(session.id()) > 0) {
            store.releaseSession(session.id());
            return;
        }
        String error = tearDown(session, cluster);
        store.sessionState(session.id(), SessionStatus.STOPPED, error);
        LOG.info("Session {} of {} stopped", session.name(), session.owner());
    }

    /** @return what could not be removed, or null */
    private String tearDown(Session session, Cluster cluster) {
        String error = null;
        for (SessionStore.ServiceRow service : store.services(session.id())) {
            if (service.status() != ServiceStatus.ALLOCATED) {
                continue;
            }
            try {
                services.release(clusters.shell(cluster), cluster, session, service);
                store.serviceState(service.id(), ServiceStatus.STOPPED, service.connection(), null);
            } catch (IOException | RuntimeException e) {
                store.serviceState(service.id(), ServiceStatus.FAILED, service.connection(), e.getMessage());
                error = "service " + service.name() + " not removed: " + e.getMessage();
            }
        }
        return error;
    }

    // --- steps -------------------------------------------------------------------------------------

    private void driveStep(SessionStore.StepRow row) {
        Session session = store.byId(row.sessionId());
        Cluster cluster = cluster(session);
        Optional<NeedsLogin> login = clusters.needsLogin(cluster);
        if (login.isPresent()) { // its movers and cancels wait for a person's login, failing nothing
            store.stepState(row.id(), row.status(), null, login.get().getMessage(), settings.watchInterval());
            return;
        }
        if (row.cancelRequested() || store.cancelRequested(row.id())) {
            cancel(row, cluster);
            return;
        }
        Wdf wdf;
        try {
            wdf = sessions.definition(session, row.step(), row.variables());
        } catch (WdfError e) {
            store.stepState(row.id(), StepStatus.STOPPED, StepOutcome.FAILED, e.getMessage(), Duration.ZERO);
            return;
        }
        WdfStep step = wdf.step(row.step()).orElseThrow();
        switch (row.status()) {
            case STARTING -> {
                Set<String> succeeded = step.after().isEmpty() ? Set.of() : store.succeededSteps(session.id());
                List<String> waiting = step.after().stream()
                        .filter(parent -> !succeeded.contains(parent))
                        .toList();
                if (!waiting.isEmpty()) { // the DAG: a step runs once every step it is after has succeeded
                    store.stepState(
                            row.id(),
                            StepStatus.STARTING,
                            null,
                            "waiting for " + String.join(", ", waiting),
                            settings.watchInterval());
                    return;
                }
                String error = moveData(row, session, cluster, wdf, step, DataMover.Trigger.STEP_START);
                if (error != null) {
                    store.stepState(row.id(), StepStatus.STOPPED, StepOutcome.FAILED, error, Duration.ZERO);
                } else if (store.cancelRequested(row.id())) {
                    cancel(row, cluster);
                } else {
                    createJobs(row, session, cluster, step);
                }
            }
            case RUNNING -> watch(row, session, cluster, wdf, step);
            case STOPPING -> stopStep(row, session, cluster, wdf, step);
            default -> store.stepState(row.id(), row.status(), null, null, settings.watchInterval());
        }
    }

    private void watch(SessionStore.StepRow row, Session session, Cluster cluster, Wdf wdf, WdfStep step) {
        List<SessionStore.StepJob> stepJobs = store.jobs(row.id());
        if (!stepJobs.stream().allMatch(SessionStore.StepJob::settled)) {
            store.stepState(row.id(), StepStatus.RUNNING, null, null, settings.watchInterval());
            return;
        }
        List<SessionStore.StepJob> failed =
                stepJobs.stream().filter(j -> !j.state().equals("succeeded")).toList();
        if (!failed.isEmpty()) {
            SessionStore.StepJob first = failed.get(0);
            store.stepState(
                    row.id(),
                    StepStatus.STOPPED,
                    StepOutcome.FAILED,
                    failed.size() + " of " + stepJobs.size() + " job(s) did not succeed; " + first.name() + " "
                            + first.state() + (first.lastError() == null ? "" : ": " + first.lastError()),
                    Duration.ZERO);
            return;
        }
        store.moveOn(row.id(), StepStatus.STOPPING); // still ours: its step_stop movers run now, here
        stopStep(row, session, cluster, wdf, step);
    }

    private void stopStep(SessionStore.StepRow row, Session session, Cluster cluster, Wdf wdf, WdfStep step) {
        store.renew(row.id());
        String error = moveData(row, session, cluster, wdf, step, DataMover.Trigger.STEP_STOP);
        if (store.cancelRequested(row.id())) {
            store.stepState(row.id(), StepStatus.STOPPED, StepOutcome.CANCELLED, error, Duration.ZERO);
        } else {
            store.stepState(
                    row.id(),
                    StepStatus.STOPPED,
                    error == null ? StepOutcome.SUCCEEDED : StepOutcome.FAILED,
                    error,
                    Duration.ZERO);
        }
        LOG.info(
                "Step {}.{} of session {} stopped{}",
                row.step(),
                row.instance(),
                session.name(),
                error == null ? "" : ": " + error);
    }

    /** Cancels the step's jobs in the scheduler and in the database; data movers stop at their next file. */
    private void cancel(SessionStore.StepRow row, Cluster cluster) {
        List<SessionStore.StepJob> live =
                store.jobs(row.id()).stream().filter(SessionStore.StepJob::live).toList();
        if (!live.isEmpty()) {
            List<WatchedJob> watched = live.stream()
                    .map(j -> new WatchedJob(j.name(), j.jobId(), j.directory()))
                    .toList();
            try {
                jobs.cancel(cluster.name(), watched);
            } catch (IOException e) {
                store.stepState(
                        row.id(),
                        row.status(),
                        null,
                        "cancel failed, will retry: " + e.getMessage(),
                        settings.watchInterval());
                return;
            }
            store.endJobs(live.stream().map(SessionStore.StepJob::id).toList(), "cancelled", "cancelled by request");
        }
        store.stepState(row.id(), StepStatus.STOPPED, StepOutcome.CANCELLED, null, Duration.ZERO);
        LOG.info(
                "Step {}.{} of session {} cancelled ({} job(s))",
                row.step(),
                row.instance(),
                row.sessionId(),
                live.size());
    }

    /**
     * Creates the step's jobs, pending, with everything the job engine needs to submit them (one per
     * parameter value; the tasks of one job array when they can share one submission): the engine
     * claims, submits and records them within the cluster's cap, as it does a run's. Called once the
     * steps it is after have succeeded and its step_start data movers are done, so its jobs are
     * ready at once; they still depend, in job_dependencies, on the jobs of those steps.
     */
    private void createJobs(SessionStore.StepRow row, Session session, Cluster cluster, WdfStep step) {
        String base = session.jobName(row.step(), row.instance());
        String partition = partition(step);
        Duration walltime = step.walltime() != null ? step.walltime() : Duration.ofHours(1);
        List<String> values = step.parameters();
        // one command for every value (it reads its task's index) or a template: one array
        boolean array = values != null && (step.template() != null || !StepCommand.parametrised(step.command()));
        Map<String, String> env = environment(session, cluster, step, row); // the same for every job of the step
        if (step.command() != null) {
            if (partition != null) {
                env.put("SBATCH_PARTITION", partition);
            }
            if (step.walltime() != null) {
                env.put("SBATCH_TIMELIMIT", String.valueOf(Math.max(1, (walltime.toSeconds() + 59) / 60)));
            }
            // the site's account and QOS (its clusters come from slurm.sh, with every SLURM command)
            cluster.site().requests().forEach((key, value) -> env.put("SBATCH_" + key.toUpperCase(), value));
        }
        // An array larger than the cluster's MaxArraySize is split here, when its rows are made, rather
        // than when it is submitted: each array's name, size and tasks are then on its rows before the
        // scheduler hears of it, so the engine claims, caps, submits, records (<array id>_<task>) and,
        // after a crash, looks up each array by its name as it does any array, and a changed limit
        // (setting or slurm.conf) cannot rename an array already submitted. The limit is the
        // cluster's, known by now: this step's cluster is the session's, asked once and kept.
        List<ArrayChunks.Chunk> arrays;
        try {
            arrays = array ? ArrayChunks.split(base, values.size(), jobs.maxArraySize(cluster)) : List.of();
        } catch (IOException e) {
            store.stepState(
                    row.id(),
                    StepStatus.STARTING,
                    null,
                    "waiting to read the MaxArraySize of " + cluster.name() + ": " + e.getMessage(),
                    settings.watchInterval().multipliedBy(5));
            return;
        }
        List<SessionStore.NewJob> planned = new ArrayList<>();
        try {
            if (values == null) {
                planned.add(new SessionStore.NewJob(base, null, null, argv(step, null, null)));
            } else if (!array) {
                for (int i = 0; i < values.size(); i++) {
                    planned.add(new SessionStore.NewJob(
                            JobSubmission.taskName(base, i), values.get(i), i, argv(step, values.get(i), i)));
                }
            } else {
                for (ArrayChunks.Chunk chunk : arrays) {
                    for (int t = 0; t < chunk.size(); t++) {
                        int i = chunk.offset() + t;
                        planned.add(new SessionStore.NewJob(
                                chunk.taskName(t),
                                values.get(i),
                                i,
                                argv(step, values.get(i), i),
                                chunk.name(),
                                chunk.size(),
                                t));
                    }
                }
            }
        } catch (RuntimeException e) { // a command not allowed
            store.stepState(row.id(), StepStatus.STOPPED, StepOutcome.FAILED, e.getMessage(), Duration.ZERO);
            return;
        }
        String workdir = session.directory() != null
                ? session.directory()
                : SessionFiles.sessionDirectory(cluster, session.id());
        store.insertJobs(
                new SessionStore.StepJobs(
                        session.id(),
                        row.id(),
                        row.step(),
                        cluster.name(),
                        SessionFiles.jobDirectory(cluster, session.id(), row.step(), row.instance()),
                        workdir,
                        partition,
                        walltime,
                        step.retries() + 1,
                        step.template(),
                        templateModel(session, cluster, step, row, env),
                        env,
                        step.throttle() == null ? 0 : step.throttle(),
                        step.after()),
                planned);
        store.stepState(row.id(), StepStatus.RUNNING, null, null, settings.watchInterval());
        jobs.wakeSubmitter();
        LOG.info(
                "Step {}.{} of session {}: {} job(s) created{}",
                row.step(),
                row.instance(),
                session.name(),
                planned.size(),
                !array ? "" : arrays.size() == 1 ? " as an array" : " as " + arrays.size() + " arrays");
    }

    private List<String> argv(WdfStep step, String value, Integer index) {
        return step.command() == null ? null : StepCommand.argv(step.command(), settings.commands(), value, index);
    }

    /** What a step's template is rendered with, besides the job's own fields (the engine adds those). */
    private static Map<String, Object> templateModel(
            Session session, Cluster cluster, WdfStep step, SessionStore.StepRow row, Map<String, String> env) {
        Map<String, Object> model = new HashMap<>();
        if (step.parameters() != null) {
            model.put("parameters", step.parameters());
        }
        if (step.template() == null) {
            return model;
        }
        String sessionDir = SessionFiles.sessionDirectory(cluster, session.id());
        model.put(
                "run",
                Map.of(
                        "id",
                        session.id(),
                        "name",
                        session.name(),
                        "dir",
                        sessionDir,
                        "location",
                        "",
                        "metadata",
                        Map.of()));
        model.put(
                "session",
                Map.of(
                        "id",
                        session.id(),
                        "name",
                        session.name(),
                        "owner",
                        session.owner(),
                        "dir",
                        sessionDir,
                        "variables",
                        session.variables()));
        model.put(
                "step",
                Map.of(
                        "name",
                        step.name(),
                        "template",
                        step.template(),
                        "variables",
                        row.variables(),
                        "resources",
                        Map.of()));
        model.put("services", env);
        return model;
    }

    /** What a step's job is told about its session: names, directories, one variable per service. */
    private Map<String, String> environment(Session session, Cluster cluster, WdfStep step, SessionStore.StepRow row) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AUTOMATIX_SESSION", session.name());
        env.put("AUTOMATIX_SESSION_DIR", SessionFiles.sessionDirectory(cluster, session.id()));
        env.put("AUTOMATIX_STEP", step.name());
        env.put("AUTOMATIX_STEP_DIR", SessionFiles.stepDirectory(cluster, session.id(), step.name(), row.instance()));
        for (SessionStore.ServiceRow service : store.services(session.id())) {
            if (step.services().stream().anyMatch(u -> u.name().equals(service.name()))) {
                String path =
                        SessionFiles.serviceDirectory(cluster, session.id(), DirectoryServices.namespace(service));
                env.put(serviceVariable(service.name()), path);
                env.putIfAbsent("AUTOMATIX_SERVICE", path);
            }
        }
        return env;
    }

    static String serviceVariable(String service) {
        return "AUTOMATIX_SERVICE_" + service.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
    }

    private String partition(WdfStep step) {
        for (String location : step.location()) {
            String partition = settings.locations().get(location);
            if (partition != null && !partition.isBlank()) {
                return partition;
            }
        }
        return null;
    }

    /**
     * Runs the step's data movers of one trigger, for each of its services that names them.
     * @return the first failure, or null
     */
    private String moveData(
            SessionStore.StepRow row,
            Session session,
            Cluster cluster,
            Wdf wdf,
            WdfStep step,
            DataMover.Trigger trigger) {
        String subpath = session.owner() + "/" + session.name();
        List<SessionStore.ServiceRow> services = store.services(session.id());
        for (WdfStep.ServiceUse use : step.services()) {
            SessionStore.ServiceRow service = services.stream()
                    .filter(s -> s.name().equals(use.name()))
                    .findFirst()
                    .orElseThrow();
            String source = SessionFiles.serviceDirectory(cluster, session.id(), DirectoryServices.namespace(service));
            for (String moverName : use.dataMovers()) {
                DataMover mover = wdf.dataMover(moverName).orElseThrow();
                if (mover.trigger() != trigger) {
                    continue;
                }
                long movement = store.startMovement(row.id(), mover, use.name());
                if (movement < 0) {
                    continue; // done before this router took the step over
                }
                Tier tier = settings.tiers().get(mover.target());
                long[] last = {0, 0, 0}; // time of the last update, files and bytes done
                try {
                    String location = movers.move(
                            clusters.shell(cluster),
                            cluster,
                            source,
                            mover,
                            tier,
                            subpath,
                            (filesTotal, bytesTotal, filesDone, bytesDone, where) -> {
                                last[1] = filesDone;
                                last[2] = bytesDone;
                                long now = System.currentTimeMillis();
                                if (filesTotal != null
                                        || now - last[0] > 500) { // progress is for people: twice a second will do
                                    last[0] = now;
                                    store.progress(movement, filesTotal, bytesTotal, filesDone, bytesDone, where);
                                    store.renew(row.id());
                                }
                            },
                            () -> store.cancelRequested(row.id()));
                    store.progress(movement, null, null, (int) last[1], last[2], location);
                    store.renew(row.id());
                    store.endMovement(movement, MovementStatus.DONE, null);
                    LOG.info(
                            "Data mover {} of step {}.{} ({} {} to {}) done",
                            mover.name(),
                            row.step(),
                            row.instance(),
                            mover.operation().name().toLowerCase(Locale.ROOT),
                            use.name(),
                            tier);
                } catch (IOException | RuntimeException e) {
                    boolean cancelled = store.cancelRequested(row.id());
                    store.endMovement(
                            movement, cancelled ? MovementStatus.CANCELLED : MovementStatus.FAILED, e.getMessage());
                    return "data mover " + mover.name() + ": " + e.getMessage();
                }
            }
        }
        return null;
    }

    private Cluster cluster(Session session) {
        return clusters.get(session.cluster())
                .orElseThrow(() -> new IllegalStateException(
                        "cluster '" + session.cluster() + "' of session " + session.name() + " is not configured"));
    }
}
