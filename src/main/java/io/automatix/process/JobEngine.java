package io.automatix.process;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.automatix.cluster.Cluster;
import io.automatix.cluster.Clusters;
import io.automatix.db.Transactions;
import io.automatix.scheduler.BatchScheduler;
import io.automatix.scheduler.JobStatus;
import io.automatix.scheduler.JobSubmission;
import io.automatix.scheduler.SubmitResult;
import io.automatix.scheduler.WatchedJob;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process and monitor flows: ondeck runs get the jobs of their pipeline; ready jobs (parents all
 * succeeded) are rendered, submitted in one round trip per cluster and recorded; status reports,
 * pushed or polled, are applied in batches, and a success releases its dependents at once (the
 * submitter is woken, it does not wait for its timer).
 */
public final class JobEngine extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(JobEngine.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JobStore store;
    private final JobSettings settings;
    private final Pipelines pipelines;
    private final JobTemplates templates;
    private final PartitionRules partitions;
    private final Clusters clusters;
    private final Map<String, BatchScheduler> schedulers;
    private final Map<String, String> pushUrls;
    private final ExecutorService submitters;
    private final AtomicInteger passes = new AtomicInteger();
    private final AtomicBoolean wanted = new AtomicBoolean();

    public JobEngine(
            Transactions transactions,
            String router,
            JobSettings settings,
            Pipelines pipelines,
            JobTemplates templates,
            PartitionRules partitions,
            Clusters clusters,
            Map<String, BatchScheduler> schedulers,
            Map<String, String> pushUrls,
            List<String> heldClusters) {
        this.store = new JobStore(transactions, router, settings.lease(), settings.retryDelay(), heldClusters);
        this.settings = settings;
        this.pipelines = pipelines;
        this.templates = templates;
        this.partitions = partitions;
        this.clusters = clusters;
        this.schedulers = schedulers;
        this.pushUrls = pushUrls;
        this.submitters = Executors.newFixedThreadPool(settings.submitPasses(), r -> {
            Thread t = new Thread(r, "automatix-submitter");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    protected void doStart() {
        clusters.all().forEach(c -> store.ensurePoll(c.name(), settings.pollMin()));
    }

    @Override
    protected void doStop() {
        submitters.shutdownNow();
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
        if (clusters.get(run.cluster()).isEmpty()) {
            throw new IllegalStateException("cluster '" + run.cluster() + "' is not configured");
        }
        List<JobStore.PlannedJob> jobs = new ArrayList<>();
        for (Step step : pipeline.parentsFirst()) {
            jobs.add(new JobStore.PlannedJob(
                    step.name(),
                    partitions.choose(step),
                    step.walltime(),
                    step.expected(),
                    step.retries() + 1,
                    step.after()));
        }
        return jobs;
    }

    private String rejection(String pipeline) {
        String error = pipelines.errors().get("pipelines/" + pipeline + ".yaml");
        return error == null ? "" : " (rejected: " + error + ")";
    }

    /**
     * Asks for a submission pass now. Up to submit-passes run side by side (each claims different
     * jobs), so jobs released while one round trip is under way do not wait for it; a pass runs
     * again as long as new requests came in while it ran.
     */
    public void wakeSubmitter() {
        wanted.set(true);
        int running;
        while ((running = passes.get()) < settings.submitPasses() && !submitters.isShutdown()) {
            if (passes.compareAndSet(running, running + 1)) {
                submitters.execute(this::submitWhileWanted);
                return;
            }
        }
    }

    private void submitWhileWanted() {
        try {
            while (wanted.getAndSet(false)) {
                submit();
            }
        } catch (RuntimeException e) {
            LOG.warn("Submission pass failed: {}", e.getMessage());
        } finally {
            passes.decrementAndGet();
        }
        if (wanted.get()) {
            wakeSubmitter(); // a request that came as this pass ended
        }
    }

    /** Submits every ready job of every cluster, in batches, within each cluster's cap. */
    public int submit() {
        int submitted = 0;
        for (Cluster cluster : clusters.all()) {
            List<ClaimedJob> claimed;
            while (!(claimed = store.claim(cluster.name(), cluster.maxJobs(), settings.submitBatch())).isEmpty()) {
                submitted += submit(cluster, claimed);
                if (claimed.size() < settings.submitBatch()) {
                    break;
                }
            }
        }
        return submitted;
    }

    private int submit(Cluster cluster, List<ClaimedJob> claimed) {
        Map<String, ClaimedJob> byName = new LinkedHashMap<>();
        List<JobSubmission> submissions = new ArrayList<>();
        for (ClaimedJob job : claimed) {
            try {
                submissions.add(submission(cluster, job));
                byName.put(job.name(), job);
            } catch (RuntimeException e) {
                LOG.warn("Job {} cannot be submitted: {}", job.name(), e.getMessage());
                store.reject(job, e.getMessage());
            }
        }
        List<SubmitResult> results;
        try {
            results = schedulers.get(cluster.name()).submit(submissions);
        } catch (IOException e) {
            LOG.warn(
                    "Submitting {} job(s) to {} failed, will look them up and retry: {}",
                    byName.size(),
                    cluster.name(),
                    e.getMessage());
            byName.values()
                    .forEach(job -> store.postpone(
                            job, false, "submission outcome unknown: " + e.getMessage(), settings.backoff()));
            return 0;
        }
        if (settings.haltAfterSubmit()) {
            LOG.error("Fault injection: halting between sbatch and recording its job ids");
            Runtime.getRuntime().halt(137);
        }
        int submitted = 0;
        for (SubmitResult result : results) {
            ClaimedJob job = byName.remove(result.name());
            if (job == null) {
                continue;
            }
            switch (result.outcome()) {
                case SUBMITTED, FOUND -> {
                    if (store.recordSubmission(job, result.jobId(), result.at())) {
                        submitted++;
                        LOG.debug(
                                "Job {} {} as {}",
                                job.name(),
                                result.outcome() == SubmitResult.Outcome.FOUND ? "found" : "submitted",
                                result.jobId());
                    }
                }
                case REFUSED ->
                    store.postpone(job, true, "refused by the scheduler: " + result.message(), settings.backoff());
                case REJECTED -> {
                    LOG.warn("Job {} rejected by {}: {}", job.name(), cluster.name(), result.message());
                    store.reject(job, "rejected by the scheduler: " + result.message());
                }
            }
        }
        // no answer line: the script stopped part-way, so these may or may not have been submitted
        byName.values().forEach(job -> store.postpone(job, false, "no answer from the submission", settings.backoff()));
        if (submitted > 0) {
            store.schedulePoll(cluster.name(), settings.pollMin(), true);
            LOG.info("Submitted {} job(s) to {}", submitted, cluster.name());
        }
        return submitted;
    }

    private JobSubmission submission(Cluster cluster, ClaimedJob job) {
        Pipeline pipeline = pipelines
                .get(job.pipeline())
                .orElseThrow(() -> new IllegalStateException(
                        "no pipeline '" + job.pipeline() + "' in pipelines/" + rejection(job.pipeline())));
        Step step = pipeline.step(job.step())
                .orElseThrow(() -> new IllegalStateException(
                        "pipeline " + pipeline.name() + " has no step " + job.step() + " any more"));
        String runDir = JobFiles.runDirectory(cluster, job.runName());
        String jobDir = JobFiles.directory(cluster, job.runName());
        Map<String, Object> model = new HashMap<>();
        model.put(
                "run",
                Map.of(
                        "id",
                        job.runId(),
                        "name",
                        job.runName(),
                        "dir",
                        runDir,
                        "location",
                        job.rawLocation() == null ? "" : job.rawLocation(),
                        "metadata",
                        metadata(job)));
        model.put(
                "job",
                Map.of(
                        "name",
                        job.name(),
                        "step",
                        job.step(),
                        "attempt",
                        job.attempt(),
                        "dir",
                        jobDir,
                        "partition",
                        job.partition() == null ? "" : job.partition(),
                        "walltime_seconds",
                        job.walltime().toSeconds()));
        model.put(
                "step",
                Map.of(
                        "name",
                        step.name(),
                        "template",
                        step.template(),
                        "variables",
                        step.variables(),
                        "resources",
                        step.resources()));
        model.put(
                "cluster",
                Map.of(
                        "name",
                        cluster.name(),
                        "scheduler",
                        cluster.scheduler(),
                        "scratch",
                        cluster.scratch().toString()));
        String push = settings.push() ? pushUrls.get(cluster.name()) : null;
        model.put("push", push == null ? "" : push);
        String script = templates.render(JobTemplates.WRAPPER, model);
        return new JobSubmission(
                job.name(), jobDir, script, job.partition(), job.walltime(), step.resources(), job.recovered());
    }

    private static Map<?, ?> metadata(ClaimedJob job) {
        try {
            return job.metadata() == null ? Map.of() : JSON.readValue(job.metadata(), Map.class);
        } catch (IOException e) {
            return Map.of();
        }
    }

    /**
     * Nothing more will be tried for this failed job (its supervision came to nothing): its pending
     * dependents are cancelled and its run fails.
     */
    public void giveUp(long jobId) {
        store.giveUp(jobId);
    }

    // --- for workflow sessions, whose steps submit their own jobs -----------------------------------

    public BatchScheduler scheduler(String cluster) {
        return schedulers.get(cluster);
    }

    /** Where a cluster's jobs push their status (null: they are polled only). */
    public String pushUrl(String cluster) {
        return settings.push() ? pushUrls.get(cluster) : null;
    }

    /** Jobs were just submitted to the cluster outside the process flow: poll it soon. */
    public void pollSoon(String cluster) {
        store.schedulePoll(cluster, settings.pollMin(), true);
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
     * Polls the clusters that are due (one scheduler query per cluster, whichever router takes it),
     * applies what changed, and spaces the next poll out while nothing does.
     */
    public void poll() {
        Map<String, Long> due =
                store.claimPolls(clusters.all().stream().map(Cluster::name).toList());
        due.forEach((cluster, intervalMs) -> {
            long next = Math.min(intervalMs * 2, settings.pollMax().toMillis());
            try {
                List<JobStore.ActiveJob> active = store.activeJobs(cluster);
                if (!active.isEmpty()) {
                    Cluster c = clusters.get(cluster).orElseThrow();
                    List<WatchedJob> watched = active.stream()
                            .map(a -> new WatchedJob(
                                    a.name(),
                                    a.jobId(),
                                    a.directory() != null ? a.directory() : JobFiles.directory(c, a.runName())))
                            .toList();
                    int changed = apply(schedulers.get(cluster).poll(watched));
                    if (changed > 0) {
                        next = settings.pollMin().toMillis();
                        LOG.debug("Poll of {}: {} of {} job(s) changed", cluster, changed, active.size());
                    }
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("Poll of {} failed, nothing concluded: {}", cluster, e.getMessage());
            }
            store.schedulePoll(cluster, java.time.Duration.ofMillis(next), false);
        });
    }
}
