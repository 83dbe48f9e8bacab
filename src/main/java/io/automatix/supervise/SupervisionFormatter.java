package io.automatix.supervise;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.automatix.cluster.Cluster;
import io.automatix.process.JobFiles;
import io.automatix.process.JobTemplates;

/**
 * A recovery script from {@code templates/supervision/}: the cluster's scheduler's own template
 * ({@code supervision/<scheduler>/fail|lost|late.sh.ftl}) if there is one, else the generic one
 * ({@code supervision/fail|lost|late.sh.ftl}, written for SLURM). The script is returned base64-encoded,
 * as it is stored and sent; it is decoded only on the cluster.
 */
final class SupervisionFormatter {

    private final JobTemplates templates;

    SupervisionFormatter(JobTemplates templates) {
        this.templates = templates;
    }

    /** @throws JobTemplates.TemplateFailure naming template and line */
    String format(Incident incident, Cluster cluster) {
        String name = incident.trigger().equals("failed") ? "fail" : incident.trigger(); // fail, lost, late
        String template = "supervision/" + cluster.scheduler() + "/" + name + ".sh.ftl";
        if (!templates.exists(template)) {
            template = "supervision/" + name + ".sh.ftl";
        }
        Duration walltime = Duration.ofSeconds(incident.walltimeSeconds());
        // a late job gets twice the time when it is submitted again
        Duration nextWalltime = incident.trigger().equals("late") ? walltime.multipliedBy(2) : walltime;
        Map<String, Object> job = new HashMap<>();
        job.put("name", incident.jobName());
        job.put("step", incident.step());
        job.put("attempt", incident.attempt());
        job.put(
                "dir",
                incident.directory() != null ? incident.directory() : JobFiles.directory(cluster, incident.runName()));
        // a task of a job array runs the array's script, told its index
        job.put("script", incident.scriptName() + ".sh");
        job.put("parameter_index", incident.parameterIndex() == null ? "" : incident.parameterIndex());
        // a workflow step's command submits itself: run again in its directory, with its environment
        job.put("command", incident.command() == null ? List.of() : incident.command());
        job.put("workdir", incident.workdir() == null ? "" : incident.workdir());
        job.put("environment", incident.environment());
        job.put("scheduler_job_id", incident.schedulerJobId() == null ? "" : incident.schedulerJobId());
        job.put("partition", incident.partition() == null ? "" : incident.partition());
        job.put("walltime_minutes", minutes(walltime));
        job.put("exit_code", incident.exitCode() == null ? "" : incident.exitCode());
        job.put("error", incident.lastError() == null ? "" : incident.lastError());
        Map<String, Object> model = Map.of(
                "supervision", Map.of("id", incident.id(), "trigger", incident.trigger(), "level", incident.level()),
                "job", job,
                "next",
                        Map.of(
                                "name",
                                incident.nextName(),
                                "walltime_minutes",
                                minutes(nextWalltime),
                                "walltime_seconds",
                                nextWalltime.toSeconds()),
                "run",
                        Map.of(
                                "id",
                                incident.runId() != null ? incident.runId() : "",
                                "name",
                                incident.runName(),
                                "dir",
                                incident.runId() != null
                                        ? JobFiles.runDirectory(cluster, incident.runName())
                                        : job.get("dir")),
                "cluster", cluster(cluster));
        String script = templates.render(template, model);
        return Base64.getEncoder().encodeToString(script.getBytes(StandardCharsets.UTF_8));
    }

    /** What a recovery script knows of its cluster: its name, and the site's lines and options for sbatch. */
    private static Map<String, Object> cluster(Cluster cluster) {
        List<String> options = new ArrayList<>();
        if (cluster.site().slurmClusters() != null) {
            options.add("--clusters=" + cluster.site().slurmClusters());
        }
        options.addAll(cluster.site().submitOptions());
        return Map.of(
                "name",
                cluster.name(),
                "scheduler",
                cluster.scheduler(),
                "umask",
                Objects.requireNonNullElse(cluster.site().umask(), ""),
                "preamble",
                cluster.site().preamble(),
                "slurm_clusters",
                Objects.requireNonNullElse(cluster.site().slurmClusters(), ""),
                "submit_options",
                options);
    }

    private static long minutes(Duration d) {
        return Math.max(1, (d.toSeconds() + 59) / 60);
    }
}
