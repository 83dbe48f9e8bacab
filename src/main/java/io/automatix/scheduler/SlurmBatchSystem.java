package io.automatix.scheduler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static java.util.Map.entry;

/**
 * SLURM: {@code sbatch --parsable} under the job's name, in the job's directory (so that its
 * output and status file land beside its script), the job's requests as options; one
 * {@code squeue --me -t all} per poll, which lists jobs that ended within MinJobAge with their
 * final state.
 */
final class SlurmBatchSystem extends BatchSystem {

    /** sbatch --parsable prints "42" or "42;cluster"; a step's own sbatch "Submitted batch job 42". */
    private static final Pattern JOB_ID = Pattern.compile("(?:Submitted batch job )?(?<id>[0-9]+)(?:[; ].*)?");

    /** sbatch's refusals that no retry cures; others (limits, a busy controller) pass. */
    private static final Pattern PERMANENT = Pattern.compile(
            "(?i)invalid|not valid|unrecognized option|unknown option|script is empty|unable to open file"
                    + "|no partition specified"
                    // sh says "sh: 1: sbatch: not found", bash "sbatch: command not found": a site's PATH
                    // lacks the tool, and no retry brings it back
                    + "|command not found|: not found$|: not found\\s");

    private static final List<String> COMMANDS = List.of("sbatch", "squeue", "scancel");
    private static final List<String> POLL = List.of("squeue", "-h", "-r", "-t", "all", "--me", "-o", "%i|%j|%T");
    private static final Pattern POLL_LINE =
            Pattern.compile("(?<id>[^|]*)\\|(?<name>[^|]*)\\|(?<state>.*)", Pattern.DOTALL);
    /** squeue -r lists each task of an array as {@code <array id>_<index>}. */
    private static final Pattern TASK_ID = Pattern.compile("[^_]+_(?<task>[0-9]+)");

    private static final Map<String, State> STATES = Map.ofEntries(
            entry("RUNNING", State.RUNNING),
            entry("COMPLETING", State.RUNNING),
            entry("CONFIGURING", State.RUNNING),
            entry("STAGE_OUT", State.RUNNING),
            entry("SIGNALING", State.RUNNING),
            entry("RESIZING", State.RUNNING),
            entry("COMPLETED", State.SUCCEEDED),
            entry("FAILED", State.FAILED),
            entry("TIMEOUT", State.FAILED),
            entry("OUT_OF_MEMORY", State.FAILED),
            entry("NODE_FAIL", State.FAILED),
            entry("BOOT_FAIL", State.FAILED),
            entry("DEADLINE", State.FAILED),
            entry("SPECIAL_EXIT", State.FAILED),
            entry("CANCELLED", State.LOST),
            entry("PREEMPTED", State.LOST),
            entry("REVOKED", State.LOST));

    private static final Pattern CANCELLABLE = Pattern.compile("[0-9_]+");

    SlurmBatchSystem() {
        super(new Knowledge("slurm", "#SBATCH", JOB_ID, PERMANENT, POLL, POLL_LINE, STATES, TASK_ID, COMMANDS));
    }

    @Override
    public List<String> submitCommand(JobSubmission job) {
        List<String> argv = new ArrayList<>(
                List.of("sbatch", "--parsable", option("job-name", job.name()), option("output", job.name() + ".out")));
        if (job.partition() != null) {
            argv.add(option("partition", job.partition()));
        }
        argv.add(option("time", walltime(job.walltime())));
        if (job.arraySize() > 0) {
            argv.add(option("array", "0-" + (job.arraySize() - 1)));
        }
        job.resources().forEach((key, value) -> argv.add(option(key, value)));
        argv.add(job.name() + ".sh");
        return argv;
    }

    /** SLURM's D-HH:MM:SS, rounded up to whole minutes as SLURM does. */
    static String walltime(Duration d) {
        long minutes = Math.max(1, (d.toSeconds() + 59) / 60);
        return String.format("%d-%02d:%02d:00", minutes / 1440, minutes / 60 % 24, minutes % 60);
    }

    @Override
    public List<String> cancelCommand(List<String> jobIds) {
        List<String> ids =
                jobIds.stream().filter(id -> CANCELLABLE.matcher(id).matches()).toList();
        if (ids.isEmpty()) {
            return List.of();
        }
        List<String> argv = new ArrayList<>(List.of("scancel", "--"));
        argv.addAll(ids);
        return argv;
    }

    @Override
    public boolean cancelledAnyway(String stderr) {
        return stderr.contains("Invalid job id");
    }
}
