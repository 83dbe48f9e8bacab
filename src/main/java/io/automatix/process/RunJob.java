package io.automatix.process;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.automatix.cluster.Cluster;
import io.automatix.scheduler.BatchSystems;
import io.automatix.scheduler.JobSubmission;

/** A run's job: its pipeline step's template in the job wrapper, in the run's job directory. */
final class RunJob implements JobKind {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Pipelines pipelines;
    private final JobTemplates templates;

    RunJob(Pipelines pipelines, JobTemplates templates) {
        this.pipelines = pipelines;
        this.templates = templates;
    }

    @Override
    public JobSubmission submission(Cluster cluster, List<ClaimedJob> jobs, Map<String, Object> push, boolean lookUp) {
        ClaimedJob job = jobs.get(0);
        Pipeline pipeline = pipelines
                .get(job.pipeline())
                .orElseThrow(() -> new IllegalStateException(
                        "no pipeline '" + job.pipeline() + "' in pipelines/" + rejection(job.pipeline())));
        Step step = pipeline.step(job.step())
                .orElseThrow(() -> new IllegalStateException(
                        "pipeline " + pipeline.name() + " has no step " + job.step() + " any more"));
        // this attempt's resources: the site's account and QOS unless the step names its own, the
        // step's, with what a recovery policy changed for it
        Map<String, String> resources =
                new java.util.LinkedHashMap<>(cluster.site().requests());
        resources.putAll(step.resources());
        resources.putAll(job.resourceOverrides());
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
                        job.walltime().toSeconds(),
                        "resources",
                        resources));
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
        model.put("cluster", JobKind.cluster(cluster));
        model.put("workdir", runDir); // where the step runs: its job directory need not be under it
        model.put("directives", BatchSystems.get(cluster.scheduler()).directives(resources));
        model.put("push", push);
        String script = templates.render(JobTemplates.WRAPPER, model);
        return new JobSubmission(job.name(), jobDir, script, job.partition(), job.walltime(), resources, lookUp);
    }

    private String rejection(String pipeline) {
        String error = pipelines.errors().get("pipelines/" + pipeline + ".yaml");
        return error == null ? "" : " (rejected: " + error + ")";
    }

    private static Map<?, ?> metadata(ClaimedJob job) {
        try {
            return job.metadata() == null ? Map.of() : JSON.readValue(job.metadata(), Map.class);
        } catch (IOException e) {
            return Map.of();
        }
    }
}
