package io.automatix.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.automatix.scheduler.BatchScheduler;
import io.automatix.scheduler.BatchSystems;
import io.automatix.scheduler.JobStatus;
import io.automatix.scheduler.WatchedJob;
import io.automatix.ssh.CommandResult;
import io.automatix.ssh.Shell;
import io.automatix.ssh.ShellQuote;
import io.automatix.ssh.SshSessions;
import io.automatix.ssh.SshTarget;

/**
 * The cost of one poll, run by bench/poll: ACTIVE jobs still waiting (held) and ENDED jobs that ended
 * since the last poll (held, then cancelled: squeue lists them ended, sacct has their rows, their
 * status files say finished) on the real SLURM over the real OpenSSH. The router's poll (one
 * {@code sh -s}: one squeue, one sacct, one awk for the status files) against a naive poll of the
 * same jobs, one squeue, sacct and cat per job (run on this host, the login node, as the account). The processes each forks on the login node are
 * counted by strace (-ff: a trace file per process the script and its children fork, threads
 * not counted).
 * Arguments: active, ended, work directory (on this host, which is the login node).
 */
public final class PollBench {

    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final Pattern THREAD = Pattern.compile("clone3?\\(.*CLONE_THREAD.*\\) = [1-9]");
    private static final Pattern EXEC = Pattern.compile("execve\\(\"([^\"]+)\".*\\) = 0");

    public static void main(String[] args) throws Exception {
        int active = Integer.parseInt(args[0]);
        int ended = Integer.parseInt(args[1]);
        Path work = Path.of(args[2]);
        SshTarget target = BenchRouter.testAccount();
        SshSessions ssh = new SshSessions(Duration.ofSeconds(10));
        ssh.start();
        Shell shell = ssh.shell(target);
        String tag = "bench.poll" + ProcessHandle.current().pid();
        try {
            List<WatchedJob> jobs = new ArrayList<>();
            jobs.addAll(submitHeld(shell, tag + ".a", active, work, false));
            jobs.addAll(submitHeld(shell, tag + ".e", ended, work, true));
            System.out.printf(
                    "poll of %d active (held) and %d ended (cancelled, status file 'finished 0') SLURM jobs%n",
                    active, ended);

            // the router's poll
            BatchScheduler router = BatchSystems.scheduler("slurm", shell, TIMEOUT);
            router.poll(jobs); // warm: slurmctld and slurmdbd caches, the session
            double[] times = new double[5];
            int concluded = 0;
            for (int i = 0; i < times.length; i++) {
                long t0 = System.nanoTime();
                List<JobStatus> statuses = router.poll(jobs);
                times[i] = (System.nanoTime() - t0) / 1e9;
                concluded = (int) statuses.stream()
                        .filter(s -> s.event() != JobStatus.Event.STARTED)
                        .count();
            }
            Arrays.sort(times);
            Path trace = work.resolve("router.trace");
            BatchSystems.scheduler("slurm", traced(shell, trace), TIMEOUT).poll(jobs);
            Forks forks = Forks.read(trace);
            double routerPoll = times[times.length / 2];
            System.out.printf(
                    "router:   1 ssh round trip, %d scheduler command(s) (%s), %.2f s per poll (median of %d),"
                            + " %d process(es) forked on the login node, %d ended job(s) concluded%n",
                    forks.scheduler(), forks.programs(), routerPoll, times.length, forks.forks(), concluded);

            // the naive poll: each job on its own
            Path script = work.resolve("naive.sh");
            Files.writeString(script, naive(jobs), StandardCharsets.UTF_8);
            // on this host (the login node) as the account, not over ssh: a minute or two long, it
            // would not survive another test stopping the machine's sshd meanwhile
            long t0 = System.nanoTime();
            local(List.of("sh", script.toString()));
            double naivePoll = (System.nanoTime() - t0) / 1e9;
            Path naiveTrace = work.resolve("naive.trace");
            local(List.of(
                    "strace",
                    "-ff",
                    "-qq",
                    "-e",
                    "trace=execve,clone,clone3,fork,vfork",
                    "-o",
                    naiveTrace.toString(),
                    "sh",
                    script.toString()));
            Forks naiveForks = Forks.read(naiveTrace);
            System.out.printf(
                    "baseline: %d scheduler command(s) (%s), %.2f s per poll, %d process(es) forked%n",
                    naiveForks.scheduler(), naiveForks.programs(), naivePoll, naiveForks.forks());
            // at most one poll per poll-min-ms (2 s), and never more often than a poll takes
            double routerPerMinute = forks.scheduler() * 60 / Math.max(2, routerPoll);
            double naivePerMinute = naiveForks.scheduler() * 60 / Math.max(2, naivePoll);
            System.out.printf(
                    "scheduler commands per minute, polling as often as poll-min-ms (2 s) allows: router %.0f,"
                            + " baseline %.0f (%.0fx fewer); forks per poll %.0fx fewer%n",
                    routerPerMinute,
                    naivePerMinute,
                    naivePerMinute / routerPerMinute,
                    (double) naiveForks.forks() / forks.forks());
        } finally {
            shell.run(
                    List.of(
                            "sh",
                            "-c",
                            "squeue -h -u \"$(id -un)\" -o '%i %j' | awk -v t=" + ShellQuote.quote(tag)
                                    + " 'index($2, t) == 1 {print $1}' | xargs -r scancel"),
                    Duration.ofMinutes(2));
            ssh.stop();
        }
    }

    /** n held jobs named {@code <prefix><i>.1}; cancelled ones get a status file saying they finished. */
    private static List<WatchedJob> submitHeld(Shell shell, String prefix, int n, Path work, boolean cancel)
            throws IOException {
        String dir = work.resolve("jobs").toString();
        String script = "mkdir -p " + ShellQuote.quote(dir) + "; for i in $(seq 1 " + n + "); do sbatch --hold"
                + " --parsable -J " + ShellQuote.quote(prefix) + "\"$i.1\" -o /dev/null -t 10 --wrap true; done\n";
        CommandResult r = shell.run(List.of("sh", "-s"), script.getBytes(StandardCharsets.UTF_8), TIMEOUT, null);
        if (!r.succeeded()) {
            throw new IllegalStateException("sbatch --hold failed: " + r.summary());
        }
        List<String> ids = r.stdout().lines().map(String::strip).toList();
        List<WatchedJob> jobs = new ArrayList<>();
        StringBuilder files = new StringBuilder();
        for (int i = 0; i < ids.size(); i++) {
            WatchedJob job = new WatchedJob(prefix + (i + 1) + ".1", ids.get(i).split(";")[0], dir);
            jobs.add(job);
            if (cancel) {
                files.append("printf 'finished 0 %s\\n' \"$(date +%s.%N)\" > ")
                        .append(ShellQuote.quote(job.statusFile()))
                        .append('\n');
            }
        }
        if (cancel) {
            files.append("scancel ")
                    .append(String.join(
                            " ", jobs.stream().map(WatchedJob::jobId).toList()))
                    .append('\n');
            CommandResult c =
                    shell.run(List.of("sh", "-s"), files.toString().getBytes(StandardCharsets.UTF_8), TIMEOUT, null);
            if (!c.succeeded()) {
                throw new IllegalStateException("scancel failed: " + c.summary());
            }
        }
        return jobs;
    }

    /** What a poll without batching does: per job, squeue, then sacct for one that ended, then cat. */
    private static String naive(List<WatchedJob> jobs) {
        StringBuilder s = new StringBuilder();
        for (WatchedJob j : jobs) {
            String id = ShellQuote.quote(j.jobId());
            s.append("st=$(squeue -h -j ")
                    .append(id)
                    .append(" -o %T)\n")
                    .append("case $st in PENDING|RUNNING|COMPLETING) ;; *) sacct -n -P -j ")
                    .append(id)
                    .append(" -o JobID,State,ExitCode,Elapsed,Timelimit,ReqMem,MaxRSS,NodeList ;; esac\n")
                    .append("[ -f ")
                    .append(ShellQuote.quote(j.statusFile()))
                    .append(" ] && cat ")
                    .append(ShellQuote.quote(j.statusFile()))
                    .append('\n');
        }
        return s.append("true\n").toString(); // the last job's missing status file is not a failure
    }

    /** Runs a command on this host as the SSH account (root runs the benchmark). */
    private static void local(List<String> argv) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(
                List.of("runuser", "-u", BenchRouter.testAccount().user(), "--"));
        command.addAll(argv);
        Process p = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", argv) + " exited " + p.exitValue());
        }
    }

    /** The shell's commands run under strace, which writes every process call of them to a file. */
    private static Shell traced(Shell shell, Path trace) {
        return new Shell() {
            @Override
            public CommandResult run(List<String> argv, byte[] stdin, Duration timeout, Consumer<String> lines)
                    throws IOException {
                List<String> strace = new ArrayList<>(List.of(
                        "strace", "-ff", "-qq", "-e", "trace=execve,clone,clone3,fork,vfork", "-o", trace.toString()));
                strace.addAll(argv);
                return shell.run(strace, stdin, timeout, lines);
            }

            @Override
            public String describe() {
                return shell.describe();
            }
        };
    }

    /**
     * What strace -ff wrote, a file per process (PREFIX.PID): the processes forked (every file but the
     * first process's) and the programs they ran (each file's execve that succeeded; a shell's tries
     * along the PATH fail).
     */
    record Forks(int forks, Map<String, Integer> execs) {

        static Forks read(Path trace) throws IOException {
            List<Path> files;
            try (var list = Files.list(trace.getParent())) {
                files = list.filter(f -> f.getFileName().toString().startsWith(trace.getFileName() + "."))
                        .toList();
            }
            Map<String, Integer> execs = new TreeMap<>();
            int threads = 0; // a thread has a file too, and is no process
            for (Path file : files) {
                for (String line : Files.readAllLines(file)) {
                    Matcher m = EXEC.matcher(line);
                    if (m.find()) {
                        execs.merge(Path.of(m.group(1)).getFileName().toString(), 1, Integer::sum);
                    }
                    if (THREAD.matcher(line).find()) {
                        threads++;
                    }
                }
            }
            return new Forks(files.size() - 1 - threads, execs);
        }

        int scheduler() {
            return execs.getOrDefault("squeue", 0) + execs.getOrDefault("sacct", 0);
        }

        String programs() {
            return execs.toString().replaceAll("[{}]", "");
        }
    }
}
