package io.automatix.process;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.automatix.cluster.Cluster;
import io.automatix.scheduler.JobSubmission;

/**
 * A workflow step's job, from what the step stored on it: its command (run as an argument list in
 * its working directory, with its environment) or its template (in the job wrapper, with the model
 * the step gave it). The tasks of a job array are one submission under the array's name, task i
 * being {@code <name>_<i>}; a task submitted on its own is told its parameter in its environment.
 * A step split into several arrays (see SessionDriver) has each array's tasks start at the offset
 * of its first parameter: its script maps offset + SLURM_ARRAY_TASK_ID to the parameter index, and
 * a command's tasks get the array's own values in AUTOMATIX_PARAMETERS (so that
 * SLURM_ARRAY_TASK_ID still indexes them) and the offset in AUTOMATIX_PARAMETER_OFFSET.
 */
final class StepJob implements JobKind {

    private final JobTemplates templates;

    StepJob(JobTemplates templates) {
        this.templates = templates;
    }

    @Override
    public JobSubmission submission(Cluster cluster, List<ClaimedJob> jobs, Map<String, Object> push, boolean lookUp) {
        ClaimedJob job = jobs.get(0);
        boolean array = job.arrayName() != null;
        int arraySize = array ? job.arraySize() : 0;
        int throttle = array ? job.arrayThrottle() : 0;
        // the parameter index of the array's task 0
        int offset = array && job.parameterIndex() != null ? job.parameterIndex() - job.arrayIndex() : 0;
        Map<String, Object> stored = job.templateModel() == null ? Map.of() : job.templateModel();
        Object parameters = stored.get("parameters");
        if (job.command() != null) {
            Map<String, String> env = new LinkedHashMap<>(job.environment() == null ? Map.of() : job.environment());
            if (array) {
                if (parameters instanceof List<?> values) {
                    env.put(
                            "AUTOMATIX_PARAMETERS",
                            String.join(
                                    " ",
                                    values
                                            .subList(
                                                    Math.min(offset, values.size()),
                                                    Math.min(offset + arraySize, values.size()))
                                            .stream()
                                            .map(String::valueOf)
                                            .toList()));
                }
                env.put("AUTOMATIX_PARAMETER_OFFSET", String.valueOf(offset));
            } else if (job.parameter() != null) {
                env.put("AUTOMATIX_PARAMETER", job.parameter());
                env.put("AUTOMATIX_PARAMETER_INDEX", String.valueOf(job.parameterIndex()));
            }
            return new JobSubmission(
                    job.submissionName(),
                    job.directory(),
                    null,
                    job.partition(),
                    job.walltime(),
                    Map.of(),
                    lookUp,
                    new JobSubmission.JobCommand(job.command(), job.workdir(), env),
                    arraySize,
                    throttle);
        }
        Map<String, Object> model = new HashMap<>(stored);
        model.put(
                "job",
                Map.of(
                        "name",
                        job.submissionName(),
                        "step",
                        job.step(),
                        "attempt",
                        job.attempt(),
                        "dir",
                        job.directory(),
                        "partition",
                        job.partition() == null ? "" : job.partition(),
                        "walltime_seconds",
                        job.walltime().toSeconds(),
                        "parameter_index",
                        array || job.parameterIndex() == null ? 0 : job.parameterIndex(),
                        "array_offset",
                        offset));
        model.put("cluster", JobKind.cluster(cluster));
        model.put("push", push);
        if (parameters == null) {
            model.remove("parameters");
        }
        return new JobSubmission(
                job.submissionName(),
                job.directory(),
                templates.render(JobTemplates.WRAPPER, model),
                job.partition(),
                job.walltime(),
                cluster.site().requests(),
                lookUp,
                null,
                arraySize,
                throttle);
    }
}
