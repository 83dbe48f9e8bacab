package io.automatix.scheduler;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

import io.automatix.ResourceText;
import io.automatix.ssh.CommandResult;
import io.automatix.ssh.Shell;
import io.automatix.ssh.ShellQuote;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static io.automatix.ssh.ShellQuote.quote;

/**
 * A batch system reached through a cluster's shell, the same for every {@link BatchSystem}: a batch
 * of jobs is one {@code sh -s} script (each job's script written beside it, then submitted, its
 * answer printed for the router), and a poll is one script too (the batch system's query first,
 * then the status files), and so is a cancel. The scripts start with the site's own lines (its
 * umask, its preamble: {@link SiteSettings}), then the shell functions of common.sh and of the batch
 * system's own file, then one call per job.
 */
public final class ShellScheduler implements BatchScheduler {

    private static final Logger LOG = LoggerFactory.getLogger(ShellScheduler.class);
    /** How long a job's accounting row is waited for once its queue lists it ended. */
    private static final Duration ROW_WAIT = Duration.ofSeconds(30);

    private final Shell shell;
    private final Duration timeout;
    private final BatchSystem system;
    private final SiteSettings site;
    private final String functions;
    /** Since when the accounting does not answer, and what it said; null while it answers. */
    private volatile AccountingOutage accountingOutage;
    /** Jobs the queue lists ended whose accounting row has not come yet, since when. */
    private final Map<String, Instant> rowsAwaited = new ConcurrentHashMap<>();

    public ShellScheduler(Shell shell, Duration timeout, BatchSystem system, SiteSettings site) {
        this.shell = shell;
        this.timeout = timeout;
        this.system = system;
        this.site = site;
        this.functions = site(site) + functions(system);
    }

    /** The shell functions a script of this batch system starts with. */
    static String functions(BatchSystem system) {
        return ResourceText.load(ShellScheduler.class, "common.sh", "shell")
                + ResourceText.load(system.getClass(), system.name() + ".sh", "shell");
    }

    /**
     * What a site's scripts start with: its umask, the group and SLURM clusters the functions use,
     * and its preamble, whose output goes to stderr, where it cannot be taken for an answer.
     */
    static String site(SiteSettings site) {
        StringBuilder lines = new StringBuilder();
        if (site.umask() != null) {
            lines.append("umask ").append(site.umask()).append('\n');
        }
        lines.append("# shellcheck disable=SC2034 # for the batch system's functions, which may not use both\n")
                .append("ax_group=")
                .append(quote(Objects.requireNonNullElse(site.group(), "")))
                .append(" ax_clusters=")
                .append(quote(Objects.requireNonNullElse(site.slurmClusters(), "")))
                .append('\n');
        if (!site.preamble().isEmpty()) {
            lines.append("{\n").append(site.preamble()).append("\n} >&2\n");
        }
        return lines.toString();
    }

    @Override
    public boolean supportsArrays() {
        return system.supportsArrays();
    }

    @Override
    public List<SubmitResult> submit(List<JobSubmission> jobs) throws IOException {
        if (jobs.isEmpty()) {
            return List.of();
        }
        return SubmitAnswer.parse(system, run(submission(jobs)).stdout());
    }

    /** The script submitting these jobs. */
    ShellScript submission(List<JobSubmission> jobs) {
        ShellScript script = new ShellScript().line(functions);
        for (JobSubmission job : jobs) {
            if (job.command() != null) {
                command(script, job);
                continue;
            }
            String file = job.directory() + "/" + job.name() + ".sh";
            // each secret's line ends in "&&": the if's condition goes on after its here-document
            String condition = "if ax_job_dir " + quote(job.directory()) + " && ";
            for (Map.Entry<String, String> secret : new java.util.TreeMap<>(job.secrets()).entrySet()) {
                if (!secret.getKey().matches("[A-Za-z0-9_][A-Za-z0-9._-]*")) {
                    throw new IllegalArgumentException("not a file name: " + secret.getKey());
                }
                // mode 600 whatever the site's umask, and replaced whole: a job never reads half a key
                String path = quote(job.directory() + "/" + secret.getKey());
                String tmp = quote(job.directory() + "/" + secret.getKey() + ".tmp");
                script.heredoc(
                        condition + "rm -f " + tmp + " && ( umask 077 && cat > " + tmp + " )",
                        secret.getValue(),
                        " && mv -f " + tmp + " " + path + " &&");
                condition = "";
            }
            script.heredoc(condition + "cat > " + quote(file), job.script());
            List<String> call =
                    new ArrayList<>(List.of("ax_submit", job.name(), job.directory(), job.lookUpFirst() ? "1" : "0"));
            call.addAll(system.submitCommand(job, site));
            script.line("then " + ShellQuote.command(call) + "; else "
                    + ShellQuote.command(
                            List.of("ax_rejected", job.name(), "cannot write its script in " + job.directory()))
                    + "; fi");
        }
        return script;
    }

    /**
     * A job that is a command: run in its working directory, with its environment, by
     * {@code ax_command name dir lookup array seconds argv...}, {@code array} being the batch system's
     * array spec ({@code 0-999%50}; 0: not an array).
     */
    private void command(ShellScript script, JobSubmission job) {
        JobSubmission.JobCommand command = job.command();
        List<String> call = new ArrayList<>(List.of(
                "ax_command",
                job.name(),
                job.directory(),
                job.lookUpFirst() ? "1" : "0",
                system.arraySpec(job),
                String.valueOf(Math.max(1, job.walltime().toSeconds()))));
        call.addAll(command.argv());
        StringBuilder env = new StringBuilder();
        command.environment().forEach((k, v) -> {
            if (!k.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("not an environment variable name: " + k);
            }
            env.append("export ").append(k).append('=').append(quote(v)).append("; ");
        });
        String rejected =
                ShellQuote.command(List.of("ax_rejected", job.name(), "cannot use the directory " + command.workdir()));
        // in a subshell: the directory and the variables are this job's only
        script.line("( if ax_job_dir " + quote(job.directory()) + " && cd -- " + quote(command.workdir())
                + " 2>/dev/null; then " + env + ShellQuote.command(call) + "; else " + rejected + "; fi )");
    }

    @Override
    public List<JobStatus> poll(List<WatchedJob> jobs) throws IOException {
        if (jobs.isEmpty()) {
            return List.of();
        }
        CommandResult result = run(query(jobs));
        PollAnswer answer = PollAnswer.parse(system, result.stdout());
        if (!answer.answered()) {
            throw new IOException("scheduler query on " + shell.describe() + " failed: " + answer.queryError() + " "
                    + result.summary());
        }
        if (answer.accountingAsked()) {
            accountingAnswered(answer.accountingError());
            if (!answer.accountingError().isEmpty()) {
                // the wait for a job's row runs while the accounting answers: one that was down
                // catches up on its rows when it is back (SlurmAccountingIT)
                rowsAwaited.clear();
            }
        }
        Instant now = Instant.now();
        rowsAwaited.keySet().retainAll(jobs.stream().map(WatchedJob::jobId).toList());
        return answer.statuses(
                system,
                jobs,
                id -> rowsAwaited.computeIfAbsent(id, k -> now).plus(ROW_WAIT).isAfter(now));
    }

    @Override
    public Optional<AccountingOutage> accountingOutage() {
        return Optional.ofNullable(accountingOutage);
    }

    /** Says once when the batch system's accounting stops answering, and once when it is back. */
    private void accountingAnswered(String error) {
        AccountingOutage before = accountingOutage;
        if (!error.isEmpty()) {
            // keeps since when it is out; the words are the latest
            accountingOutage = new AccountingOutage(before == null ? Instant.now() : before.since(), error);
            if (before == null) {
                LOG.warn(
                        "The accounting of {} does not answer ({}): jobs that only it can explain wait for it, the"
                                + " others are concluded from the queue and their status files. Check slurmdbd.",
                        shell.describe(),
                        error);
            }
        } else if (before != null) {
            accountingOutage = null;
            LOG.info(
                    "The accounting of {} answers again, after {} s",
                    shell.describe(),
                    Duration.between(before.since(), Instant.now()).toSeconds());
        }
    }

    /** The script polling these jobs. */
    ShellScript query(List<WatchedJob> jobs) {
        String jobList = String.join(
                "\n",
                jobs.stream()
                        .map(j -> j.name() + "|" + Objects.requireNonNullElse(j.jobId(), "-"))
                        .toList());
        return new ShellScript()
                .line(functions)
                .heredoc(ShellQuote.command(prepend("ax_query", system.pollCommand())), jobList)
                .heredoc("ax_accounting", jobList)
                .heredoc(
                        "ax_status_files",
                        String.join(
                                "\n", jobs.stream().map(WatchedJob::statusFile).toList()));
    }

    @Override
    public OptionalInt maxArraySize() throws IOException {
        List<String> argv = system.configCommand();
        if (argv.isEmpty()) {
            return OptionalInt.empty();
        }
        CommandResult r =
                run(new ShellScript().line(functions).line(ShellQuote.command(argv))); // the site's preamble first
        if (r.exitCode() == 255) { // ssh's own failure: the cluster, not its configuration
            throw new IOException(String.join(" ", argv) + " on " + shell.describe() + " failed: " + r.summary());
        }
        OptionalInt size = r.succeeded() ? system.maxArraySize(r.stdout()) : OptionalInt.empty();
        if (size.isEmpty()) {
            LOG.info(
                    "{} on {} says no MaxArraySize: {}",
                    String.join(" ", argv),
                    shell.describe(),
                    r.succeeded() ? "no such line in its answer" : r.summary());
        }
        return size;
    }

    @Override
    public List<String> check() throws IOException {
        ShellScript script = new ShellScript().line(functions);
        for (String command : system.commands()) {
            script.line("command -v " + quote(command) + " >/dev/null 2>&1 || echo " + quote("missing " + command));
        }
        script.line(ShellQuote.command(prepend("ax_query", system.pollCommand())) + " </dev/null | grep -v '^job '");
        List<String> problems = new ArrayList<>();
        for (String line : run(script).stdout().lines().toList()) {
            if (line.startsWith("missing ")) {
                problems.add(line.substring(8) + " is not on the PATH of " + shell.describe()
                        + ": load its module in the account's login profile, or check scheduler=" + system.name());
            } else if (line.startsWith("query failed: ")) {
                problems.add(system.pollCommand().get(0) + " does not answer: " + line.substring(14));
            }
        }
        return problems;
    }

    @Override
    public void cancel(List<WatchedJob> jobs) throws IOException {
        List<String> argv = system.cancelCommand(
                jobs.stream().map(WatchedJob::jobId).filter(Objects::nonNull).toList());
        if (argv.isEmpty()) {
            return;
        }
        CommandResult r = run(new ShellScript().line(functions).line(ShellQuote.command(argv)));
        if (!r.succeeded() && !system.cancelledAnyway(r.stderr())) {
            throw new IOException(argv.get(0) + " failed: " + r.summary());
        }
    }

    /** Seconds since the epoch, with a fraction, as {@code date +%s.%N} writes them. */
    static Instant epoch(String text) {
        BigDecimal seconds = new BigDecimal(text);
        return Instant.ofEpochSecond(
                seconds.longValue(),
                seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
    }

    private static List<String> prepend(String first, List<String> rest) {
        List<String> argv = new ArrayList<>(List.of(first));
        argv.addAll(rest);
        return argv;
    }

    private CommandResult run(ShellScript script) throws IOException {
        CommandResult result = shell.run(List.of("sh", "-s"), script.bytes(), timeout, null);
        if (result.timedOut()) {
            throw new IOException("timed out after " + timeout.toSeconds() + " s on " + shell.describe());
        }
        return result;
    }
}
