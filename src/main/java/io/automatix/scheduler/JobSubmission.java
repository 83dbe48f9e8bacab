package io.automatix.scheduler;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One job to submit: its deterministic name, the directory of its files on the cluster (script,
 * output and status file, named after the job), the rendered script and what the batch system is
 * asked for. {@code lookUpFirst} is set when an earlier submission's outcome is unknown (a router
 * died, a connection broke): the scheduler then looks the name up and submits only if it finds
 * nothing.
 *
 * <p>A job may instead be a {@link JobCommand} (a workflow step's {@code sbatch My_Step}), run in
 * its own directory under the job's name; and it may be an array of {@code arraySize} tasks
 * (0: not an array), task {@code i} being known as {@code <name>_<i>}, at most {@code
 * arrayThrottle} of them running at once (0: as many as the scheduler lets run).
 *
 * <p>{@code secrets} are files written beside the script before it, readable by the service account
 * only (mode 600), by file name: what the job needs and no one else may read (its status key, the
 * broker login it pushes with). They reach the cluster in the submission's standard input, never on a
 * command line.
 */
public record JobSubmission(
        String name,
        String directory,
        String script,
        String partition,
        Duration walltime,
        Map<String, String> resources,
        boolean lookUpFirst,
        JobCommand command,
        int arraySize,
        int arrayThrottle,
        Map<String, String> secrets) {

    public JobSubmission {
        secrets = secrets == null ? Map.of() : Map.copyOf(secrets);
    }

    public JobSubmission(
            String name,
            String directory,
            String script,
            String partition,
            Duration walltime,
            Map<String, String> resources,
            boolean lookUpFirst,
            JobCommand command,
            int arraySize,
            int arrayThrottle) {
        this(
                name,
                directory,
                script,
                partition,
                walltime,
                resources,
                lookUpFirst,
                command,
                arraySize,
                arrayThrottle,
                Map.of());
    }

    public JobSubmission(
            String name,
            String directory,
            String script,
            String partition,
            Duration walltime,
            Map<String, String> resources,
            boolean lookUpFirst,
            JobCommand command,
            int arraySize) {
        this(name, directory, script, partition, walltime, resources, lookUpFirst, command, arraySize, 0);
    }

    /** This submission with these secret files beside its script. */
    public JobSubmission withSecrets(Map<String, String> files) {
        return new JobSubmission(
                name,
                directory,
                script,
                partition,
                walltime,
                resources,
                lookUpFirst,
                command,
                arraySize,
                arrayThrottle,
                files);
    }

    /** Never the secrets' contents. */
    @Override
    public String toString() {
        return "JobSubmission[name=" + name + ", directory=" + directory + ", secrets=" + secrets.keySet() + "]";
    }

    public JobSubmission(
            String name,
            String directory,
            String script,
            String partition,
            Duration walltime,
            Map<String, String> resources,
            boolean lookUpFirst) {
        this(name, directory, script, partition, walltime, resources, lookUpFirst, null, 0, 0, Map.of());
    }

    public String statusFile() {
        return directory + "/" + name + ".status";
    }

    /** The name of task {@code index} of an array job. */
    public static String taskName(String arrayName, int index) {
        return arrayName + "_" + index;
    }

    /**
     * A command that submits the job itself (SLURM: it calls sbatch, which takes its job name,
     * partition, time limit and array from the SBATCH_* variables the scheduler sets), run in
     * {@code workdir} with {@code environment} added. Each argument reaches the shell quoted.
     */
    public record JobCommand(List<String> argv, String workdir, Map<String, String> environment) {}
}
