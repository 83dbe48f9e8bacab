package io.automatix.scheduler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;

/**
 * What a poll script printed: the batch system's answer ({@code job} lines, then whether its query
 * succeeded), its accounting of the jobs that ended ({@code acct} lines, then whether it answered),
 * and the jobs' status files, read last so that a job that ended between the two is seen by its
 * status file.
 */
final class PollAnswer {

    /** A job as the batch system lists it. */
    record Listed(String id, String state) {}

    /** Whether the batch system's accounting answered. */
    enum Accounting {
        /** it answered */
        OK,
        /** the site has none, or there was nothing to ask */
        OFF,
        /** it is there but did not answer: what only it can explain waits */
        FAILED
    }

    private final Map<String, List<Listed>> listed = new HashMap<>();
    private final List<String> accountingLines = new ArrayList<>();
    private final Map<String, String> statusFiles = new HashMap<>();
    private boolean queryOk;
    private String queryError = "no answer";
    private Accounting accounting = Accounting.OFF; // until it says it answered
    private boolean accountingAsked;
    private String accountingError = "";
    private BatchSystem.Account account = BatchSystem.Account.UNKNOWN;

    private PollAnswer() {}

    static PollAnswer parse(BatchSystem system, String stdout) {
        PollAnswer answer = new PollAnswer();
        for (String line : stdout.split("\n")) {
            if (line.startsWith("job ")) {
                Matcher m = system.pollLine().matcher(line.substring(4));
                if (m.matches()) {
                    answer.list(
                            system,
                            m.group("id"),
                            m.group("name"),
                            m.group("state").strip());
                }
            } else if (line.startsWith("acct ")) {
                answer.accountingLines.add(line.substring(5));
            } else if (line.startsWith("status ")) {
                String[] f = line.substring(7).split("\\|", 2);
                answer.statusFiles.put(f[0], f.length > 1 ? f[1].strip() : "");
            } else if (line.equals("query ok")) {
                answer.queryOk = true;
            } else if (line.startsWith("query failed")) {
                answer.queryError = line;
            } else if (line.equals("accounting ok")) {
                answer.accounting = Accounting.OK;
                answer.accountingAsked = true;
            } else if (line.startsWith("accounting off")) {
                answer.accounting = Accounting.OFF;
                answer.accountingAsked = true;
            } else if (line.startsWith("accounting failed")) {
                answer.accounting = Accounting.FAILED;
                answer.accountingAsked = true;
                answer.accountingError =
                        line.substring("accounting failed".length()).replaceFirst("^: ", "");
            } else if (line.startsWith("account ")) {
                String[] f = line.split(" ", 3);
                answer.account = new BatchSystem.Account(f[1], f.length > 2 ? f[2] : f[1]);
            }
        }
        return answer;
    }

    /** A task of an array is known by its array's name and by its own, {@code <name>_<index>}. */
    private void list(BatchSystem system, String id, String name, String state) {
        Listed job = new Listed(id, state);
        listed.computeIfAbsent(name, k -> new ArrayList<>()).add(job);
        system.arrayTaskId()
                .map(p -> p.matcher(id))
                .filter(Matcher::matches)
                .ifPresent(task -> listed.computeIfAbsent(
                                JobSubmission.taskName(name, Integer.parseInt(task.group("task"))),
                                k -> new ArrayList<>())
                        .add(job));
    }

    /** Whether anything may be concluded: the query succeeded, or status files were read. */
    boolean answered() {
        return queryOk || !statusFiles.isEmpty();
    }

    String queryError() {
        return queryError;
    }

    /** What the accounting's failure said; empty when it answered or the site has none. */
    String accountingError() {
        return accounting == Accounting.FAILED ? accountingError : "";
    }

    /** Whether the accounting was asked at all (a poll of jobs that are all waiting asks nothing). */
    boolean accountingAsked() {
        return accountingAsked;
    }

    List<JobStatus> statuses(BatchSystem system, List<WatchedJob> jobs) {
        return statuses(system, jobs, id -> true);
    }

    /**
     * @param awaitRow whether a job the queue lists ended, whose accounting row has not come, is
     *                 still worth waiting for (slurmdbd gets it within seconds, or after an outage
     *                 perhaps never in full)
     */
    List<JobStatus> statuses(BatchSystem system, List<WatchedJob> jobs, Predicate<String> awaitRow) {
        Ends ends = new Ends(system, ended(system, system.accounting(accountingLines)), accounting, account, awaitRow);
        List<JobStatus> statuses = new ArrayList<>();
        for (WatchedJob job : jobs) {
            JobStatus status = conclude(ends, job, statusFiles.get(job.statusFile()), listed.get(job.name()), queryOk);
            if (status != null) {
                statuses.add(status);
            }
        }
        return statuses;
    }

    /**
     * The accounting's rows of jobs that ended. A row saying a job still runs, of a job the queue
     * lists ended, is one slurmdbd has not had the end of yet (slurmctld sends it a little later,
     * or, after an outage of slurmdbd, once it is back): it is no row yet.
     */
    private static Map<String, EndFacts> ended(BatchSystem system, Map<String, EndFacts> accounting) {
        Map<String, EndFacts> ended = new HashMap<>(accounting);
        ended.values().removeIf(f -> {
            BatchSystem.State state = system.states().get(f.state().split(" ", 2)[0]);
            return state == null || state == BatchSystem.State.RUNNING;
        });
        return ended;
    }

    /** What explains a job's end: the batch system's words for its accounting's facts, or for its queue's state. */
    record Ends(
            BatchSystem system,
            Map<String, EndFacts> accounting,
            Accounting answered,
            BatchSystem.Account account,
            Predicate<String> awaitRow) {

        /** Why the job of this id ended, from its accounting, else from its queue's state; null: nothing says. */
        JobEnd of(String id, String listedState) {
            EndFacts facts = id == null ? null : accounting.get(id);
            if (facts == null && listedState != null) {
                facts = EndFacts.state(listedState);
            }
            return facts == null ? null : system.explain(facts, account);
        }

        /** The exit code behind the accounting's facts of this id (128 + the signal that ended it). */
        Integer exitCode(String id) {
            EndFacts facts = id == null ? null : accounting.get(id);
            return facts == null ? null : facts.shellExitCode();
        }
    }

    /**
     * The status file's exit code counts (the job wrote it); why a job ended comes from the batch
     * system's accounting, else its queue, else the status file (a signal the wrapper caught). A
     * job that ended by a signal while the batch system still lists it waiting was requeued, and
     * goes on. A job neither knows is lost, but only if the batch system's query succeeded. While
     * its accounting does not answer, a job that ended without its own word (a status file with its
     * exit code, or SLURM's COMPLETED) waits: only the accounting can say whether it ran out of
     * memory or time, and a job is never concluded from a missing accounting row. So does one the
     * queue lists ended while its accounting has no row for it yet.
     */
    static JobStatus conclude(Ends ends, WatchedJob job, String statusFile, List<Listed> listed, boolean queryOk) {
        Listed scheduled = scheduledJob(job, listed);
        BatchSystem.State state =
                scheduled == null ? null : ends.system().states().get(scheduled.state());
        boolean waiting = scheduled != null
                && (state == null || state == BatchSystem.State.RUNNING || state == BatchSystem.State.QUEUED);
        String id = scheduled != null ? scheduled.id() : job.jobId();
        String endedState = scheduled != null && !waiting ? scheduled.state() : null;
        boolean started = statusFile != null && statusFile.startsWith("started");
        if (statusFile != null && statusFile.startsWith("finished ")) {
            Finished finished = Finished.parse(statusFile);
            if (finished == null) {
                return JobStatus.finished(job.name(), null, "unreadable status file: " + statusFile);
            }
            if (finished.signals().isEmpty() || !waiting) {
                // its exit code is known: the queue's state adds nothing unless the job was signalled
                JobEnd end = ends.of(id, finished.signals().isEmpty() ? null : endedState);
                if (end == null || end.reason() == JobEnd.Reason.COMPLETED && finished.code() != 0) {
                    if (!finished.signals().isEmpty() && ends.answered() == Accounting.FAILED) {
                        return JobStatus.started(job.name()); // which signal it was, only the accounting can say
                    }
                    end = finished.end();
                }
                return status(job, finished.code(), end, id).withAt(finished.at());
            }
            // signalled, yet listed waiting or running: requeued (or still stopping), so it goes on
            if (state == BatchSystem.State.QUEUED) {
                return requeued(
                        job, scheduled, "stopped by " + String.join(" then ", finished.signals()), finished.at());
            }
            return state == BatchSystem.State.RUNNING ? JobStatus.started(job.name()) : null;
        }
        if (waiting) {
            // a status file that says started (squeue ran a moment before the job did) is no requeue
            return state == BatchSystem.State.RUNNING || started ? started(job, scheduled) : null;
        }
        if (scheduled != null || queryOk) {
            boolean unexplained = ends.exitCode(id) == null && state != BatchSystem.State.SUCCEEDED;
            // awaitRow is asked only of a job it may hold (it notes since when it waits)
            if (unexplained
                    && (ends.answered() == Accounting.FAILED
                            || ends.answered() == Accounting.OK
                                    && scheduled != null
                                    && ends.awaitRow().test(id))) {
                return started ? JobStatus.started(job.name()) : null; // only its accounting can say why: wait for it
            }
            JobEnd end = ends.of(id, endedState);
            if (end != null) {
                Integer code = ends.exitCode(id);
                if (code == null) {
                    code = state == BatchSystem.State.SUCCEEDED ? Integer.valueOf(0) : null;
                }
                return status(job, code, end, id);
            }
            if (scheduled != null) {
                return status(
                        job,
                        state == BatchSystem.State.SUCCEEDED ? 0 : null,
                        JobEnd.of(JobEnd.Reason.SIGNALLED, "scheduler: " + scheduled.state()),
                        id);
            }
            return JobStatus.lost(
                            job.name(),
                            "gone from the scheduler without an outcome in its status file"
                                    + (ends.answered() == Accounting.OFF
                                            ? " (the site keeps no accounting)"
                                            : " or its accounting"))
                    .withSchedulerJobId(id);
        }
        return started ? JobStatus.started(job.name()) : null;
    }

    private static JobStatus started(WatchedJob job, Listed scheduled) {
        return JobStatus.started(job.name()).withSchedulerJobId(scheduled.id());
    }

    /**
     * A job that ran and waits again under its id: the batch system requeued it (an operator's
     * requeue, a preemption or a node failure where those requeue). {@code at} tells this run's end
     * from a later one's, so that each requeue is recorded once.
     */
    private static JobStatus requeued(WatchedJob job, Listed scheduled, String how, java.time.Instant at) {
        if (at == null) {
            return null; // a status file without its time: nothing tells this requeue from the next
        }
        return JobStatus.requeued(
                job.name(),
                scheduled.id(),
                "requeued: " + how + ", then queued again under the same id " + scheduled.id() + " ("
                        + scheduled.state() + "), by an operator's requeue, a preemption or a node failure",
                at);
    }

    /** The status of a job that ended: lost when cancelled or preempted (it did not run to its end), else finished. */
    private static JobStatus status(WatchedJob job, Integer exitCode, JobEnd end, String id) {
        boolean lost = end.reason() == JobEnd.Reason.CANCELLED
                || end.reason() == JobEnd.Reason.PREEMPTED
                || end.reason() == JobEnd.Reason.LOST;
        return lost
                ? new JobStatus(job.name(), JobStatus.Event.LOST, null, end.detail(), null, id, end)
                : new JobStatus(
                        job.name(),
                        JobStatus.Event.FINISHED,
                        // an end that is not COMPLETED is a failure, even where SLURM kept exit code 0
                        end.reason() == JobEnd.Reason.COMPLETED
                                ? Integer.valueOf(0)
                                : Integer.valueOf(0).equals(exitCode) ? null : exitCode,
                        end.detail(),
                        null,
                        id,
                        end);
    }

    /**
     * A status file's {@code finished <code> [signals...] <time>}: the wrapper adds the signals it
     * caught (USR1, TERM) before its step ended.
     */
    record Finished(int code, java.time.Instant at, List<String> signals) {

        static Finished parse(String line) {
            String[] f = line.split(" ");
            try {
                int code = Integer.parseInt(f[1]);
                java.time.Instant at = null;
                List<String> signals = new ArrayList<>();
                for (int i = 2; i < f.length; i++) {
                    if (f[i].matches("[0-9]+(\\.[0-9]+)?")) {
                        at = ShellScheduler.epoch(f[i]);
                    } else if (f[i].matches("[A-Z0-9]+")) {
                        signals.add(f[i]);
                    }
                }
                return new Finished(code, at, List.copyOf(signals));
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                return null;
            }
        }

        /** What the status file alone says of the end. */
        JobEnd end() {
            if (signals.isEmpty()) {
                return JobEnd.plain(JobStatus.Event.FINISHED, code, null);
            }
            String caught = String.join(" then ", signals);
            if (signals.indexOf("USR1") >= 0 && signals.lastIndexOf("TERM") > signals.indexOf("USR1")) {
                return JobEnd.of( // warned of its walltime, then ended
                        JobEnd.Reason.TIMEOUT,
                        "walltime exceeded: warned (USR1), then terminated (TERM) with exit code " + code);
            }
            return new JobEnd(
                    JobEnd.Reason.SIGNALLED,
                    "ended by signal " + caught + " with exit code " + code
                            + " (a cancel, a preemption or its walltime: the batch system did not say which)",
                    null,
                    null,
                    null,
                    null,
                    null);
        }
    }

    /** The batch system's job with the recorded id, or the newest one with the name. */
    private static Listed scheduledJob(WatchedJob job, List<Listed> listed) {
        if (listed == null || listed.isEmpty()) {
            return null;
        }
        for (Listed s : listed) {
            if (s.id().equals(job.jobId())) {
                return s;
            }
        }
        return listed.get(listed.size() - 1);
    }
}
