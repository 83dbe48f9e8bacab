package io.automatix.scheduler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Map.entry;

/**
 * SLURM: {@code sbatch --parsable} under the job's name, in the job's directory (so that its
 * output and status file land beside its script), the job's requests as options; one
 * {@code squeue -t all} per poll, which lists jobs that ended within MinJobAge with their final
 * state, and one {@code sacct} for the jobs that ended or that squeue forgot, whose accounting says
 * why they ended.
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

    private static final List<String> COMMANDS = List.of("sbatch", "squeue", "scancel", "sacct");
    /** slurm.sh's ax_squeue: every job of the account, a task of an array on a line of its own. */
    private static final List<String> POLL = List.of("ax_squeue");

    private static final Pattern POLL_LINE =
            Pattern.compile("(?<id>[^|]*)\\|(?<name>[^|]*)\\|(?<state>.*)", Pattern.DOTALL);
    /** squeue -r lists each task of an array as {@code <array id>_<index>}. */
    private static final Pattern TASK_ID = Pattern.compile("[^_]+_(?<task>[0-9]+)");

    private static final Map<String, State> STATES = Map.ofEntries(
            // a job that ran shows PENDING again once requeued (scontrol requeue[hold], a preemption or
            // a node failure with requeue): a fresh one has no status file yet, see PollAnswer
            entry("PENDING", State.QUEUED),
            entry("REQUEUED", State.QUEUED),
            entry("REQUEUE_HOLD", State.QUEUED),
            entry("REQUEUE_FED", State.QUEUED),
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

    /** scontrol show config's line "MaxArraySize            = 1001". */
    private static final Pattern MAX_ARRAY_SIZE = Pattern.compile("(?m)^MaxArraySize\\s*=\\s*(?<size>[0-9]{1,9})\\s*$");

    private static final Pattern CANCELLABLE = Pattern.compile("[0-9_]+");

    /**
     * The sbatch options a site may add to every job ({@code submit-options}): what the node, its
     * devices and mail are, never what the router relies on (the job's name, files, time limit,
     * array or dependencies) nor what runs instead of the script ({@code --wrap}).
     */
    private static final Set<String> SITE_OPTIONS = Set.of(
            "--constraint",
            "--gres",
            "--gpus",
            "--gpus-per-node",
            "--gpus-per-task",
            "--cpus-per-gpu",
            "--mem-per-gpu",
            "--exclusive",
            "--oversubscribe",
            "--mail-type",
            "--mail-user",
            "--reservation",
            "--nice",
            "--priority",
            "--licenses",
            "--hint",
            "--cpu-freq",
            "--comment",
            "--requeue",
            "--no-requeue",
            "--switches",
            "--tmp",
            "--mem-per-cpu",
            "--cores-per-socket",
            "--threads-per-core",
            "--ntasks-per-node",
            "--distribution",
            "--exclude",
            "--wckey",
            "--network",
            "--prefer",
            "--propagate",
            "--get-user-env");

    /**
     * A workflow step's own sbatch: what the site's options may be, and what the job needs of the
     * node; never what runs instead of the script ({@code --wrap}), who it runs as, nor what the
     * router sets from the step (its name, time limit, partition, array, dependencies). Its files
     * stay in the session's directory.
     */
    private static final SubmitOptions.Rules STEP_SUBMIT = new SubmitOptions.Rules(
            "sbatch",
            union(
                    SITE_OPTIONS,
                    Set.of(
                            "--parsable",
                            "--nodes",
                            "--ntasks",
                            "--cpus-per-task",
                            "--mem",
                            "--mincpus",
                            "--ntasks-per-core",
                            "--ntasks-per-socket",
                            "--account",
                            "--qos",
                            "--output",
                            "--error",
                            "--input",
                            "--chdir",
                            "--open-mode",
                            "--quiet")),
            Set.of(
                    "--parsable",
                    "--exclusive",
                    "--oversubscribe",
                    "--requeue",
                    "--no-requeue",
                    "--get-user-env",
                    "--contiguous",
                    "--overcommit",
                    "--quiet",
                    "--verbose",
                    "--hold",
                    "--wait",
                    "--test-only",
                    "--spread-job",
                    "--use-min-nodes"),
            Set.of("--output", "--error", "--input", "--chdir"),
            Map.ofEntries(
                    entry("--wrap", "it runs its value as a script instead of the step's"),
                    entry("--uid", "it runs the job as another user"),
                    entry("--gid", "it runs the job as another group"),
                    entry("--export-file", "it reads the job's environment from a file"),
                    entry("--job-name", "the router names the job"),
                    entry("--time", "the step's walltime sets it"),
                    entry("--partition", "the step's location sets it"),
                    entry("--array", "the step's parameters make arrays"),
                    entry("--dependency", "the step's 'after' orders jobs"),
                    entry("--clusters", "the cluster's slurm-clusters setting sets it")));

    SlurmBatchSystem() {
        super(new Knowledge("slurm", "#SBATCH", JOB_ID, PERMANENT, POLL, POLL_LINE, STATES, TASK_ID, COMMANDS));
    }

    @Override
    public List<String> submitCommand(JobSubmission job, SiteSettings site) {
        List<String> argv = new ArrayList<>(
                List.of("sbatch", "--parsable", option("job-name", job.name()), option("output", job.name() + ".out")));
        if (job.partition() != null) {
            argv.add(option("partition", job.partition()));
        }
        argv.add(option("time", walltime(job.walltime())));
        // the job's shell hears of its walltime before it is killed for it (job.sh.ftl records it)
        argv.add(option("signal", "B:USR1@" + warning(job.walltime())));
        if (job.arraySize() > 0) {
            argv.add(option("array", arraySpec(job)));
        }
        job.resources().forEach((key, value) -> argv.add(option(key, value)));
        if (site.slurmClusters() != null) {
            argv.add(option("clusters", site.slurmClusters()));
        }
        argv.addAll(site.submitOptions());
        argv.add(job.name() + ".sh");
        return argv;
    }

    /** SLURM's MaxArraySize N allows task indices 0 to N-1: one array holds at most N tasks. */
    @Override
    List<String> configCommand() {
        return List.of("scontrol", "show", "config");
    }

    @Override
    OptionalInt maxArraySize(String configuration) {
        Matcher m = MAX_ARRAY_SIZE.matcher(configuration);
        return m.find() ? OptionalInt.of(Integer.parseInt(m.group("size"))) : OptionalInt.empty();
    }

    /** Seconds before the walltime that the job is warned: a tenth of it, from 10 s to 5 min. */
    static long warning(Duration walltime) {
        return Math.max(10, Math.min(300, walltime.toSeconds() / 10));
    }

    /** SLURM's D-HH:MM:SS, rounded up to whole minutes as SLURM does. */
    static String walltime(Duration d) {
        long minutes = Math.max(1, (d.toSeconds() + 59) / 60);
        return String.format("%d-%02d:%02d:00", minutes / 1440, minutes / 60 % 24, minutes % 60);
    }

    @Override
    public Set<String> submitOptionsAllowed() {
        return SITE_OPTIONS;
    }

    @Override
    public SubmitOptions.Rules stepSubmit() {
        return STEP_SUBMIT;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    @Override
    public List<String> cancelCommand(List<String> jobIds) {
        List<String> ids =
                jobIds.stream().filter(id -> CANCELLABLE.matcher(id).matches()).toList();
        if (ids.isEmpty()) {
            return List.of();
        }
        List<String> argv = new ArrayList<>(List.of("ax_scancel")); // slurm.sh: scancel [-M clusters] --
        argv.addAll(ids);
        return argv;
    }

    @Override
    public boolean cancelledAnyway(String stderr) {
        return stderr.contains("Invalid job id");
    }

    @Override
    Map<String, EndFacts> accounting(List<String> lines) {
        return SlurmAccounting.parse(lines);
    }

    /**
     * SLURM's end states in a person's words. Without cgroups a job over its memory is killed by
     * SIGKILL and accounted FAILED: its MaxRSS against the memory it asked for tells it apart.
     */
    @Override
    JobEnd explain(EndFacts f, Account account) {
        String[] state = f.state().split(" by ", 2);
        JobEnd.Reason reason;
        String detail;
        switch (state[0]) {
            case "COMPLETED" -> {
                reason = JobEnd.Reason.COMPLETED;
                detail = null;
            }
            case "OUT_OF_MEMORY" -> {
                reason = JobEnd.Reason.OUT_OF_MEMORY;
                detail = outOfMemory(f);
            }
            case "FAILED" -> {
                if (overMemory(f)) {
                    reason = JobEnd.Reason.OUT_OF_MEMORY;
                    detail = outOfMemory(f);
                } else if (f.signal() != null && f.signal() > 0) {
                    reason = JobEnd.Reason.SIGNALLED;
                    detail = "killed by signal " + f.signal();
                } else if (Integer.valueOf(0).equals(f.exitCode())) {
                    reason = JobEnd.Reason.SIGNALLED; // slurmdbd was down while it ran: its steps are not there
                    detail = "failed; SLURM's accounting kept no exit code or signal (was slurmdbd down while it ran?)";
                } else if (f.exitCode() != null) {
                    reason = JobEnd.Reason.EXIT_CODE;
                    detail = "exit code " + f.exitCode();
                } else {
                    reason = JobEnd.Reason.EXIT_CODE;
                    detail = "failed (SLURM gave no exit code)";
                }
            }
            case "SPECIAL_EXIT" -> {
                reason = JobEnd.Reason.EXIT_CODE;
                detail = "failed with a special exit code " + (f.exitCode() == null ? "" : f.exitCode() + " ")
                        + "and held";
            }
            case "TIMEOUT" -> {
                reason = JobEnd.Reason.TIMEOUT;
                detail = f.elapsedSeconds() == null || f.limitSeconds() == null
                        ? "walltime exceeded"
                        : "walltime exceeded: ran " + Words.duration(f.elapsedSeconds()) + " of its "
                                + Words.duration(f.limitSeconds()) + " limit";
            }
            case "NODE_FAIL" -> {
                reason = JobEnd.Reason.NODE_FAIL;
                detail = "its node " + (f.node() == null ? "" : f.node() + " ") + "failed";
            }
            case "PREEMPTED" -> {
                reason = JobEnd.Reason.PREEMPTED;
                detail = "preempted by a job of higher priority";
            }
            case "CANCELLED" -> {
                reason = JobEnd.Reason.CANCELLED;
                detail = state.length > 1 ? "cancelled by " + account.named(state[1].strip()) : "cancelled";
            }
            case "REVOKED" -> {
                reason = JobEnd.Reason.LOST;
                detail = "revoked: a sibling cluster of the federation runs it";
            }
            case "BOOT_FAIL", "DEADLINE" -> {
                reason = JobEnd.Reason.NOT_STARTED;
                detail = state[0].equals("DEADLINE") ? "not started before its deadline" : "its node did not boot";
            }
            default -> {
                return null;
            }
        }
        return new JobEnd(reason, detail, f.state(), f.signal(), f.elapsedSeconds(), f.maxRss(), f.node());
    }

    private static boolean overMemory(EndFacts f) {
        // the accounting may not have the memory asked for yet when it has the kill: the kill counts
        return Integer.valueOf(9).equals(f.signal())
                && f.maxRss() != null
                && (f.memoryAsked() == null || f.maxRss() >= f.memoryAsked());
    }

    private static String outOfMemory(EndFacts f) {
        if (f.maxRss() == null) {
            return "out of memory"
                    + (f.memoryAsked() == null ? "" : " (asked for " + Words.bytes(f.memoryAsked()) + ")");
        }
        if (f.memoryAsked() == null) {
            return "out of memory: killed (signal 9) after using " + Words.bytes(f.maxRss()) + " (MaxRSS)";
        }
        return "out of memory: used " + Words.bytes(f.maxRss()) + " (MaxRSS) of the " + Words.bytes(f.memoryAsked())
                + " asked for";
    }
}
