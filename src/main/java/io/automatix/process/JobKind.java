package io.automatix.process;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.automatix.cluster.Cluster;
import io.automatix.scheduler.JobSubmission;

/**
 * How claimed jobs of one kind become one submission: a run's job from its pipeline step's template
 * ({@link RunJob}), a workflow step's from its command or template ({@link StepJob}). Everything
 * else (claims, the cap, batches, back-off, look-ups, recording) is the engine's, the same for both.
 */
interface JobKind {

    /**
     * @param jobs   one job, or the tasks of one job array (a step's, submitted as one)
     * @param push   where and how the job reports its status ({@link PushTarget#model}; empty where it is polled only)
     * @param lookUp whether the scheduler looks the submission up by name before submitting it
     * @throws RuntimeException when the job cannot be submitted as configured (it is rejected)
     */
    JobSubmission submission(Cluster cluster, List<ClaimedJob> jobs, Map<String, Object> push, boolean lookUp);

    /** What every job's template knows of its cluster, and the site's lines the wrapper starts with. */
    static Map<String, Object> cluster(Cluster cluster) {
        return Map.of(
                "name",
                cluster.name(),
                "scheduler",
                cluster.scheduler(),
                "scratch",
                cluster.scratch().toString(),
                "umask",
                Objects.requireNonNullElse(cluster.site().umask(), ""),
                "preamble",
                cluster.site().preamble());
    }
}
