package io.automatix.scheduler;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.automatix.ssh.CommandResult;
import io.automatix.ssh.Shell;
import io.automatix.ssh.ShellQuote;

import static io.automatix.ssh.ShellQuote.quote;

/**
 * What SLURM and the local scheduler share: a batch of jobs is one {@code sh -s} script through
 * the cluster's shell (each job's script written beside it, then submitted, one answer line per
 * job), and a poll is one script too (the scheduler's query first, then the status files, so a job
 * that ended between the two is seen by its status file).
 */
public abstract class ShellScheduler implements BatchScheduler {

    /** Refusals that no retry will cure. Anything else the scheduler refuses is back-pressure. */
    private static final Pattern PERMANENT = Pattern.compile(
            "(?i)invalid|not valid|unrecognized option|unknown option|script is empty|unable to open file"
                    + "|cannot write its script|no partition specified");

    protected final Shell shell;
    private final Duration timeout;
    private final String submitFunction;

    /** @param submitFunction the shell function {@code ax_submit name dir lookup options...} printing one answer line */
    ShellScheduler(Shell shell, Duration timeout, String submitFunction) {
        this.shell = shell;
        this.timeout = timeout;
        this.submitFunction = submitFunction;
    }

    /**
     * A job that is a command: run in its working directory, with its environment, by
     * {@code ax_command name dir lookup array seconds argv...}, which prints one answer line like
     * ax_submit.
     */
    private void command(ShellScript script, JobSubmission job) {
        JobSubmission.JobCommand command = job.command();
        List<String> call = new ArrayList<>(List.of(
                "ax_command",
                job.name(),
                job.directory(),
                job.lookUpFirst() ? "1" : "0",
                job.arraySize() > 0 ? "0-" + (job.arraySize() - 1) : "",
                String.valueOf(Math.max(1, job.walltime().toSeconds()))));
        call.addAll(command.argv());
        StringBuilder env = new StringBuilder();
        command.environment().forEach((k, v) -> {
            if (!k.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("not an environment variable name: " + k);
            }
            env.append("export ").append(k).append('=').append(quote(v)).append("; ");
        });
        String rejected = "echo " + quote("rejected " + job.name() + " cannot use the directory " + command.workdir());
        // in a subshell: the directory and the variables are this job's only
        script.line("( if mkdir -p -- " + quote(job.directory()) + " && cd -- " + quote(command.workdir())
                + " 2>/dev/null; then " + env + ShellQuote.command(call) + "; else " + rejected + "; fi )");
    }

    /** The arguments of ax_submit after name, directory and lookup flag. */
    protected abstract List<String> submitOptions(JobSubmission job);

    /** The query printing {@code job <id>|<name>|<STATE>} lines, then {@code query ok} or {@code query failed ...}. */
    protected abstract void query(ShellScript script, List<WatchedJob> jobs);

    @Override
    public List<SubmitResult> submit(List<JobSubmission> jobs) throws IOException {
        if (jobs.isEmpty()) {
            return List.of();
        }
        ShellScript script = new ShellScript().line(submitFunction);
        for (JobSubmission job : jobs) {
            if (job.command() != null) {
                command(script, job);
                continue;
            }
            String file = job.directory() + "/" + job.name() + ".sh";
            script.heredoc("if mkdir -p -- " + quote(job.directory()) + " && cat > " + quote(file), job.script());
            List<String> call =
                    new ArrayList<>(List.of("ax_submit", job.name(), job.directory(), job.lookUpFirst() ? "1" : "0"));
            call.addAll(submitOptions(job));
            script.line("then " + ShellQuote.command(call) + "; else echo "
                    + quote("rejected " + job.name() + " cannot write its script in " + job.directory()) + "; fi");
        }
        CommandResult result = run(script);
        List<SubmitResult> results = new ArrayList<>();
        for (String line : result.stdout().split("\n")) {
            String[] f = line.split(" ", 3);
            if (f.length < 3) {
                continue;
            }
            String rest = f[2].strip();
            switch (f[0]) {
                case "submitted" -> { // "<id> <time>"
                    String[] idAndTime = rest.split(" ");
                    results.add(new SubmitResult(
                            f[1],
                            SubmitResult.Outcome.SUBMITTED,
                            idAndTime[0],
                            null,
                            idAndTime.length > 1 ? epoch(idAndTime[1]) : null));
                }
                case "found" ->
                    results.add(new SubmitResult(
                            f[1], SubmitResult.Outcome.FOUND, rest.equals("-") ? null : rest, null, null));
                case "refused", "rejected" ->
                    results.add(new SubmitResult(
                            f[1],
                            f[0].equals("rejected") || PERMANENT.matcher(rest).find()
                                    ? SubmitResult.Outcome.REJECTED
                                    : SubmitResult.Outcome.REFUSED,
                            null,
                            rest,
                            null));
                default -> {}
            }
        }
        return results;
    }

    @Override
    public List<JobStatus> poll(List<WatchedJob> jobs) throws IOException {
        if (jobs.isEmpty()) {
            return List.of();
        }
        ShellScript script = new ShellScript();
        query(script, jobs);
        script.heredoc(
                "while IFS= read -r f; do [ -f \"$f\" ] && printf 'status %s|%s\\n' \"$f\" \"$(tail -n 1 -- \"$f\")\"; done",
                String.join("\n", jobs.stream().map(WatchedJob::statusFile).toList()));
        CommandResult result = run(script);
        boolean queryOk = false;
        String queryError = "no answer";
        Map<String, List<String[]>> scheduled = new HashMap<>();
        Map<String, String> statusFiles = new HashMap<>();
        for (String line : result.stdout().split("\n")) {
            if (line.startsWith("job ")) {
                String[] f = line.substring(4).split("\\|", 3);
                if (f.length == 3) {
                    scheduled.computeIfAbsent(f[1], k -> new ArrayList<>()).add(new String[] {f[0], f[2].strip()});
                    int task = f[0].indexOf('_');
                    if (task > 0 && f[0].substring(task + 1).matches("[0-9]+")) { // a task of an array: <name>_<index>
                        scheduled
                                .computeIfAbsent(
                                        JobSubmission.taskName(f[1], Integer.parseInt(f[0].substring(task + 1))),
                                        k -> new ArrayList<>())
                                .add(new String[] {f[0], f[2].strip()});
                    }
                }
            } else if (line.startsWith("status ")) {
                String[] f = line.substring(7).split("\\|", 2);
                statusFiles.put(f[0], f.length > 1 ? f[1].strip() : "");
            } else if (line.equals("query ok")) {
                queryOk = true;
            } else if (line.startsWith("query failed")) {
                queryError = line;
            }
        }
        if (!queryOk && statusFiles.isEmpty()) {
            throw new IOException(
                    "scheduler query on " + shell.describe() + " failed: " + queryError + " " + result.summary());
        }
        List<JobStatus> statuses = new ArrayList<>();
        for (WatchedJob job : jobs) {
            JobStatus status = conclude(job, statusFiles.get(job.statusFile()), scheduled.get(job.name()), queryOk);
            if (status != null) {
                statuses.add(status);
            }
        }
        return statuses;
    }

    /**
     * The status file's outcome wins (it holds the exit code); then the scheduler's state; a job
     * neither knows is lost, but only if the scheduler's query succeeded.
     */
    static JobStatus conclude(WatchedJob job, String statusFile, List<String[]> scheduled, boolean queryOk) {
        if (statusFile != null && statusFile.startsWith("finished ")) {
            String[] f = statusFile.split(" ");
            try {
                return new JobStatus(
                        job.name(),
                        JobStatus.Event.FINISHED,
                        Integer.parseInt(f[1]),
                        "status file",
                        f.length > 2 ? epoch(f[2]) : null,
                        job.jobId());
            } catch (NumberFormatException e) {
                return JobStatus.finished(job.name(), null, "unreadable status file: " + statusFile);
            }
        }
        String[] scheduledJob = scheduledJob(job, scheduled);
        if (scheduledJob != null) {
            String state = scheduledJob[1];
            JobStatus status = switch (state) {
                case "RUNNING", "COMPLETING", "CONFIGURING", "STAGE_OUT", "SIGNALING", "RESIZING" ->
                    JobStatus.started(job.name());
                case "COMPLETED" -> JobStatus.finished(job.name(), 0, "scheduler: COMPLETED");
                case "FAILED", "TIMEOUT", "OUT_OF_MEMORY", "NODE_FAIL", "BOOT_FAIL", "DEADLINE", "SPECIAL_EXIT" ->
                    JobStatus.finished(job.name(), null, "scheduler: " + state);
                case "CANCELLED", "PREEMPTED", "REVOKED" -> JobStatus.lost(job.name(), "scheduler: " + state);
                default ->
                    statusFile != null && statusFile.startsWith("started") ? JobStatus.started(job.name()) : null;
            };
            return status == null ? null : status.withSchedulerJobId(scheduledJob[0]);
        }
        if (!queryOk) {
            return statusFile != null && statusFile.startsWith("started") ? JobStatus.started(job.name()) : null;
        }
        return JobStatus.lost(job.name(), "gone from the scheduler without an outcome in its status file");
    }

    /** Seconds since the epoch, with a fraction, as {@code date +%s.%N} writes them. */
    static java.time.Instant epoch(String text) {
        java.math.BigDecimal seconds = new java.math.BigDecimal(text);
        return java.time.Instant.ofEpochSecond(
                seconds.longValue(),
                seconds.remainder(java.math.BigDecimal.ONE).movePointRight(9).longValue());
    }

    /** The scheduler's job (id, state) with the recorded id, or the newest one with the name. */
    private static String[] scheduledJob(WatchedJob job, List<String[]> scheduled) {
        if (scheduled == null || scheduled.isEmpty()) {
            return null;
        }
        for (String[] s : scheduled) {
            if (s[0].equals(job.jobId())) {
                return s;
            }
        }
        return scheduled.get(scheduled.size() - 1);
    }

    private CommandResult run(ShellScript script) throws IOException {
        CommandResult result = shell.run(List.of("sh", "-s"), script.bytes(), timeout, null);
        if (result.timedOut()) {
            throw new IOException("timed out after " + timeout.toSeconds() + " s on " + shell.describe());
        }
        return result;
    }

    protected CommandResult runCommand(List<String> argv) throws IOException {
        return shell.run(argv, timeout);
    }
}
