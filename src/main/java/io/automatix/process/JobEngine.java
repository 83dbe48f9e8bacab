package io.automatix.process;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.automatix.amqp.PushTarget;
import io.automatix.cluster.Cluster;
import io.automatix.cluster.Clusters;
import io.automatix.db.Transactions;
import io.automatix.scheduler.BatchScheduler;
import io.automatix.scheduler.JobStatus;
import io.automatix.scheduler.JobSubmission;
import io.automatix.scheduler.SubmitResult;
import io.automatix.scheduler.WatchedJob;
import io.automatix.ssh.NeedsLogin;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process and monitor flows: ondeck runs get the jobs of their pipeline; ready jobs (parents all
 * succeeded), a run's or a workflow step's, are rendered by their {@link JobKind}, submitted in one round
 * trip per cluster within its cap and recorded, each cluster on its own submission and poll threads
 * ({@link ClusterWorkers}), so one that hangs holds up no other; status reports,
 * pushed or polled, are applied in batches, and a success releases its dependents at once (the
 * submitter is woken, it does not wait for its timer).
 */
public final class JobEngine extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(JobEngine.class);

    private final JobStore store;
    private final JobSettings settings;
    private final Pipelines pipelines;
    private final Clusters clusters;
    private final Map<String, BatchScheduler> schedulers;
    private final Map<String, String> pushUrls;
    private final StatusKeys keys;
    private final SubmissionObserver observer;
    private final Map<ClaimedJob.Kind, JobKind> kinds;
    private final ClusterWorkers workers;
    private final ArrayLimits arrayLimits = new ArrayLimits();
    /** Applies pushed failures that no poll has concluded in time (see applyPushed). */
    private final ScheduledExecutorService heldFailures =
            Executors.newSingleThreadScheduledExecutor(ClusterWorkers.daemon("automatix-pushed-failures"));
    /**
     * When (System.nanoTime) the latest poll that answered for a job, by name, began: a pushed failure
     * of a job a poll answered for since is that poll's to conclude (a job SLURM requeued pushes its
     * stopped run's failure, and goes on).
     */
    private final Map<String, Long> answeredFor = new java.util.concurrent.ConcurrentHashMap<>();

    public JobEngine(
            Transactions transactions,
            String router,
            JobSettings settings,
            Pipelines pipelines,
            JobTemplates templates,
            Clusters clusters,
            Map<String, BatchScheduler> schedulers,
            Map<String, String> pushUrls,
            StatusKeys keys,
            List<String> heldClusters,
            SubmissionObserver observer) {
        this.store = new JobStore(
                transactions,
                router,
                settings.lease(),
                settings.retryDelay(),
                heldClusters,
                cluster -> clusters.get(cluster)
                        .map(c -> c.site().partitions())
                        .orElseThrow(() -> new IllegalStateException("cluster '" + cluster + "' is not configured")));
        this.settings = settings;
        this.pipelines = pipelines;
        this.clusters = clusters;
        this.schedulers = schedulers;
        this.pushUrls = pushUrls;
        this.keys = keys;
        this.observer = observer;
        this.kinds = Map.of(
                ClaimedJob.Kind.RUN, new RunJob(pipelines, templates), ClaimedJob.Kind.STEP, new StepJob(templates));
        this.workers = new ClusterWorkers(
                clusters.all().stream().map(Cluster::name).toList(), settings.submitPasses(), this::submitPass);
    }

    @Override
    protected void doStart() {
        clusters.all().forEach(c -> store.ensurePoll(c.name(), c.site().pollMin()));
    }

    @Override
    protected void doStop() {
        heldFailures.shutdownNow();
        workers.shutdown();
    }

    // --- process: plan and submit ----------------------------------------------------------------

    /** Creates the jobs of ondeck runs (one transaction for a batch of runs), then submits what is ready. */
    public int plan() {
        if (!settings.enabled()) {
            return 0;
        }
        List<JobStore.PlannedRun> planned =
                store.plan(100, settings.defaultPipeline(), settings.defaultCluster(), this::jobsOf);
        if (!planned.isEmpty()) {
            LOG.info(
                    "Planned {} run(s): {}",
                    planned.size(),
                    planned.stream().map(JobStore.PlannedRun::name).toList());
            wakeSubmitter();
        }
        return planned.size();
    }

    private List<JobStore.PlannedJob> jobsOf(JobStore.PlannedRun run) {
        Pipeline pipeline = pipelines
                .get(run.pipeline())
                .orElseThrow(() -> new IllegalStateException(
                        "no pipeline '" + run.pipeline() + "' in pipelines/" + rejection(run.pipeline())));
        Cluster cluster = clusters.get(run.cluster())
                .orElseThrow(() -> new IllegalStateException("cluster '" + run.cluster() + "' is not configured"));
        List<JobStore.PlannedJob> jobs = new ArrayList<>();
        for (Step step : pipeline.parentsFirst()) {
            jobs.add(new JobStore.PlannedJob(
                    step.name(),
                    // a step that names its partition keeps it; the cluster's rules choose the others'
                    step.partition() != null
                            ? step.partition()
                            : cluster.site().partitions().choose(step.walltime()),
                    step.walltime(),
                    step.expected(),
                    step.retries() + 1,
                    step.after(),
                    step.onFailure()));
        }
        return jobs;
    }

    private String rejection(String pipeline) {
        String error = pipelines.errors().get("pipelines/" + pipeline + ".yaml");
        return error == null ? "" : " (rejected: " + error + ")";
    }

    /**
     * Asks every cluster's submitter for a pass now, each on its own threads (see
     * {@link ClusterWorkers}): a cluster whose round trip hangs does not hold up the others.
     */
    public void wakeSubmitter() {
        workers.wakeSubmitters();
    }

    private void submitPass(String name) {
        clusters.get(name).ifPresent(this::submit);
    }

    /** Submits every ready job of every cluster, one cluster after another, on the caller's thread. */
    public int submit() {
        int submitted = 0;
        for (Cluster cluster : clusters.all()) {
            submitted += submit(cluster);
        }
        return submitted;
    }

    /** Submits the cluster's ready jobs, in batches, within its cap. */
    private int submit(Cluster cluster) {
        if (clusters.needsLogin(cluster).isPresent()) {
            return 0; // its jobs stay pending, unclaimed, until a person logs in: nothing to look up after
        }
        int submitted = 0;
        List<ClaimedJob> claimed;
        while (!(claimed = store.claim(
                        cluster.name(),
                        cluster.maxJobs(),
                        settings.submitBatch(),
                        schedulers.get(cluster.name()).supportsArrays()))
                .isEmpty()) {
            submitted += submit(cluster, claimed);
            if (claimed.size() < settings.submitBatch()) {
                break;
            }
        }
        return submitted;
    }

    private int submit(Cluster cluster, List<ClaimedJob> claimed) {
        BatchScheduler scheduler = schedulers.get(cluster.name());
        String pushUrl = settings.push() ? pushUrls.getOrDefault(cluster.name(), "") : "";
        PushTarget push;
        try {
            push = pushUrl.isEmpty() ? null : PushTarget.parse(pushUrl);
        } catch (IllegalArgumentException e) {
            LOG.warn("Jobs on {} report by their status files only: {}", cluster.name(), e.getMessage());
            push = null;
        }
        Map<String, List<ClaimedJob>> bySubmission = new LinkedHashMap<>();
        for (ClaimedJob job : claimed) { // the tasks of an array are one submission
            bySubmission
                    .computeIfAbsent(job.submissionName(), k -> new ArrayList<>())
                    .add(job);
        }
        Map<String, List<ClaimedJob>> covered = new LinkedHashMap<>();
        Map<String, String> directories = new LinkedHashMap<>();
        List<JobSubmission> submissions = new ArrayList<>();
        for (List<ClaimedJob> jobs : bySubmission.values()) {
            ClaimedJob first = jobs.get(0);
            try {
                String keyName = first.submissionName();
                JobSubmission submission = kinds.get(first.kind())
                        .submission(
                                cluster,
                                jobs,
                                push == null ? Map.of() : push.model(keyName),
                                jobs.stream().anyMatch(ClaimedJob::recovered));
                if (push != null && submission.script() != null) {
                    // its key and the broker login, beside its script and readable by the service account only
                    submission = submission.withSecrets(
                            Map.of(keyName + ".key", keys.keyFile(keyName), keyName + ".amqp", push.credentialsFile()));
                }
                submissions.add(submission);
                covered.put(submission.name(), jobs);
                directories.put(submission.name(), submission.directory());
            } catch (RuntimeException e) {
                LOG.warn("Job {} cannot be submitted: {}", first.submissionName(), e.getMessage());
                jobs.forEach(job -> store.reject(job, e.getMessage()));
            }
        }
        List<SubmitResult> results;
        try {
            results = scheduler.submit(submissions);
        } catch (IOException e) {
            LOG.warn(
                    "Submitting {} job(s) to {} failed, will look them up and retry: {}",
                    claimed.size(),
                    cluster.name(),
                    e.getMessage());
            covered.values().stream()
                    .flatMap(List::stream)
                    .forEach(job ->
                            store.postpone(job, "submission outcome unknown: " + e.getMessage(), settings.backoff()));
            return 0;
        }
        observer.answered(cluster.name(), results);
        int submitted = 0;
        for (SubmitResult result : results) {
            List<ClaimedJob> jobs = covered.remove(result.name());
            if (jobs == null) {
                continue;
            }
            switch (result.outcome()) {
                case SUBMITTED, FOUND -> {
                    for (ClaimedJob job : jobs) {
                        String id = result.jobId() == null || job.arrayName() == null
                                ? result.jobId()
                                : result.jobId() + "_" + job.arrayIndex(); // its task of the array
                        if (store.recordSubmission(job, id, result.at(), directories.get(result.name()))) {
                            submitted++;
                            LOG.debug(
                                    "Job {} {} as {}",
                                    job.name(),
                                    result.outcome() == SubmitResult.Outcome.FOUND ? "found" : "submitted",
                                    id);
                        }
                    }
                }
                case REFUSED -> {
                    // back-pressure: tried again later, less often the more often it was refused
                    for (ClaimedJob job : jobs) {
                        Duration delay = store.refuse(job, result.message(), settings::backoffAfter);
                        LOG.debug(
                                "Job {} refused by {}, again in {}: {}",
                                job.name(),
                                cluster.name(),
                                delay,
                                result.message());
                    }
                }
                case REJECTED -> {
                    LOG.warn("Job {} rejected by {}: {}", result.name(), cluster.name(), result.message());
                    jobs.forEach(job -> store.reject(job, "rejected by the scheduler: " + result.message()));
                }
            }
        }
        // no answer line: the script stopped part-way, so these may or may not have been submitted
        covered.values().stream()
                .flatMap(List::stream)
                .forEach(job -> store.postpone(job, "no answer from the submission", settings.backoff()));
        if (submitted > 0) {
            store.schedulePoll(cluster.name(), cluster.site().pollMin(), true);
            LOG.info("Submitted {} job(s) to {}", submitted, cluster.name());
        }
        return submitted;
    }

    /**
     * The most tasks one job array may have on the cluster (its {@code max-array-size}, else its
     * scheduler's MaxArraySize, read once); a larger array is planned as several.
     *
     * @throws IOException when the cluster could not be reached to ask
     */
    public int maxArraySize(Cluster cluster) throws IOException {
        BatchScheduler scheduler = schedulers.get(cluster.name());
        if (scheduler == null) {
            throw new IOException("cluster '" + cluster.name() + "' is not configured");
        }
        return arrayLimits.of(cluster, scheduler);
    }

    /**
     * Cancels jobs in their cluster's scheduler (those not submitted yet, or gone, are ignored); the
     * caller records them cancelled.
     */
    public void cancel(String cluster, List<WatchedJob> jobs) throws IOException {
        BatchScheduler scheduler = schedulers.get(cluster);
        if (scheduler == null) {
            throw new IOException("cluster '" + cluster + "' is not configured");
        }
        scheduler.cancel(jobs);
    }

    /**
     * Nothing more will be tried for this failed job (its supervision came to nothing): its pending
     * dependents are cancelled and its run fails.
     */
    public void giveUp(long jobId) {
        store.giveUp(jobId);
    }

    // --- monitor: status reports and polls -------------------------------------------------------

    /** Applies a batch of status reports in one transaction; a success or retry wakes the submitter. */
    public int apply(List<JobStatus> statuses) {
        JobStore.Applied applied = store.apply(statuses);
        if (applied.released()) {
            wakeSubmitter();
        }
        return applied.changed();
    }

    /**
     * Applies what jobs pushed. A failure pushed is taken as a start at first, and the polls are
     * brought forward: a poll concludes it with what the batch system says of why it ended (its
     * accounting, which a job cannot push, says whether it ran out of memory or time). Should no
     * poll answer for it in time (its cluster is unreachable), the pushed failure is applied as it
     * came; applying it after a poll did changes nothing. A poll that answered for the job since
     * knows better (SLURM may have requeued it), and concludes it itself.
     */
    public int applyPushed(List<JobStatus> pushed) {
        List<JobStatus> statuses = new ArrayList<>(pushed.size());
        List<JobStatus> failures = new ArrayList<>();
        for (JobStatus s : pushed) {
            if (s.event() == JobStatus.Event.FINISHED && !Integer.valueOf(0).equals(s.exitCode())) {
                statuses.add(
                        new JobStatus(s.job(), JobStatus.Event.STARTED, null, s.detail(), null, s.schedulerJobId()));
                failures.add(s);
            } else {
                statuses.add(s);
            }
        }
        boolean failed = !failures.isEmpty();
        if (failed && !heldFailures.isShutdown()) {
            long grace = Math.max(
                    5_000,
                    3
                            * clusters.all().stream()
                                    .mapToLong(c -> c.site().pollMin().toMillis())
                                    .max()
                                    .orElse(0));
            long received = System.nanoTime();
            heldFailures.schedule(
                    () -> {
                        try {
                            List<JobStatus> unanswered = failures.stream()
                                    .filter(f -> {
                                        Long polled = answeredFor.get(f.job());
                                        return polled == null || polled - received < 0;
                                    })
                                    .toList();
                            if (!unanswered.isEmpty()) {
                                apply(unanswered);
                            }
                        } catch (RuntimeException e) {
                            LOG.warn("Could not apply {} pushed failure(s): {}", failures.size(), e.getMessage());
                        }
                    },
                    grace,
                    TimeUnit.MILLISECONDS);
        }
        int changed = apply(statuses);
        if (failed) {
            clusters.all().forEach(c -> store.schedulePoll(c.name(), c.site().pollMin(), true));
        }
        return changed;
    }

    /**
     * Hands each cluster that is due for a poll (one scheduler query per cluster, whichever router
     * claims it) to its own poll thread and returns at once; the returned future completes when
     * these polls have run. A cluster whose previous poll is still running (a hung {@code squeue},
     * an sshd that does not answer) is not claimed, so it is neither polled twice nor holds up the
     * others.
     */
    public void poll() {
        pollDue(); // the timer route does not wait: a bean returning a future would be waited for
    }

    /** {@link #poll()}, with a future that completes when this tick's polls have run. */
    public CompletableFuture<Void> pollDue() {
        List<String> idle = workers.idlePollers();
        if (idle.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        Map<String, Long> due = store.claimPolls(idle);
        return CompletableFuture.allOf(due.entrySet().stream()
                .map(e -> workers.poll(e.getKey(), () -> poll(e.getKey(), e.getValue())))
                .toArray(CompletableFuture[]::new));
    }

    /** Polls one cluster, applies what changed, and spaces its next poll out while nothing does. */
    private void poll(String cluster, long intervalMs) {
        Cluster c = clusters.get(cluster).orElseThrow();
        long next = Math.min(intervalMs * 2, c.site().pollMax().toMillis());
        long began = System.nanoTime();
        try {
            List<JobStore.ActiveJob> active = store.activeJobs(cluster);
            if (!active.isEmpty()) {
                List<WatchedJob> watched = active.stream()
                        .map(a -> new WatchedJob(
                                a.name(),
                                a.jobId(),
                                a.directory() != null ? a.directory() : JobFiles.directory(c, a.runName())))
                        .toList();
                int changed = apply(schedulers.get(cluster).poll(watched));
                watched.forEach(w -> answeredFor.put(w.name(), began));
                // a job polled no more for long (ten of the longest poll intervals) has ended: forget it
                long forget = 10
                        * clusters.all().stream()
                                .mapToLong(k -> k.site().pollMax().toNanos())
                                .max()
                                .orElse(0);
                answeredFor.values().removeIf(t -> began - t > forget);
                if (changed > 0) {
                    next = c.site().pollMin().toMillis();
                    LOG.debug("Poll of {}: {} of {} job(s) changed", cluster, changed, active.size());
                }
            }
        } catch (NeedsLogin e) {
            LOG.debug("Poll of {} waits: {}", cluster, e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.warn("Poll of {} failed, nothing concluded: {}", cluster, e.getMessage());
        }
        store.schedulePoll(cluster, Duration.ofMillis(next), false);
    }
}
