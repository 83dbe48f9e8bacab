package io.automatix.scheduler;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What Automatix must know of one batch system, mostly as data, in the manner of Cylc's job runner
 * handlers: the directive prefix of its job scripts, how to submit a job, where the job id is in the
 * answer, which refusals are for good, the one command polling all of a cluster's jobs and what its
 * states mean, how to cancel. Its shell functions (look-up, a step's own command; see common.sh) are
 * the resource {@code <name>.sh} beside the class. {@link ShellScheduler} does the rest, the same for
 * all.
 */
public abstract class BatchSystem {

    /** What a batch system's job state means to Automatix; a state not in the table: still waiting. */
    public enum State {
        /** waiting in the queue; a job that ran and is listed so again was requeued under its id */
        QUEUED,
        RUNNING,
        /** ended well, though only the status file has the exit code */
        SUCCEEDED,
        /** ended badly, with no exit code from the batch system */
        FAILED,
        /** ended without having run to its end (cancelled, preempted) */
        LOST
    }

    /**
     * The data of a batch system.
     *
     * @param name             the cluster's {@code scheduler} setting that picks it
     * @param directivePrefix  what starts a request line in a job script ({@code #SBATCH}); null: none
     * @param jobId            a line of the submit command's answer that carries the job id (group
     *                         {@code id}); the last such line counts, and an answer of a successful
     *                         command without one is a rejection
     * @param permanentRefusal what makes a refusal permanent (the job fails); any other is back-pressure
     * @param pollCommand      the one command listing the jobs of a cluster; it may read a
     *                         {@code <name>|<id>} line per watched job on its stdin
     * @param pollLine         a line of the poll answer: groups {@code id}, {@code name} and {@code state}
     * @param states           the batch system's states that mean something, by name
     * @param arrayTaskId      how the id of an array's task shows its index (group {@code task});
     *                         null: the batch system has no arrays
     * @param commands         the programs the adapter runs on the cluster (for {@code automatix doctor})
     */
    protected record Knowledge(
            String name,
            String directivePrefix,
            Pattern jobId,
            Pattern permanentRefusal,
            List<String> pollCommand,
            Pattern pollLine,
            Map<String, State> states,
            Pattern arrayTaskId,
            List<String> commands) {}

    private final Knowledge knowledge;

    protected BatchSystem(Knowledge knowledge) {
        this.knowledge = knowledge;
    }

    public final String name() {
        return knowledge.name();
    }

    /** Whether {@link JobSubmission#arraySize()} is honoured. */
    public final boolean supportsArrays() {
        return knowledge.arrayTaskId() != null;
    }

    /** The request lines of a job script asking for these resources (none without a directive prefix). */
    public final List<String> directives(Map<String, String> resources) {
        if (knowledge.directivePrefix() == null) {
            return List.of();
        }
        return resources.entrySet().stream()
                .map(e -> knowledge.directivePrefix() + " " + option(e.getKey(), e.getValue()))
                .toList();
    }

    final Pattern jobId() {
        return knowledge.jobId();
    }

    final Pattern permanentRefusal() {
        return knowledge.permanentRefusal();
    }

    final List<String> commands() {
        return knowledge.commands();
    }

    final List<String> pollCommand() {
        return knowledge.pollCommand();
    }

    final Pattern pollLine() {
        return knowledge.pollLine();
    }

    final Map<String, State> states() {
        return knowledge.states();
    }

    final Optional<Pattern> arrayTaskId() {
        return Optional.ofNullable(knowledge.arrayTaskId());
    }

    /** A request as the batch system reads it, on its submit command's line or after the directive prefix. */
    protected String option(String key, String value) {
        return "--" + key + "=" + value;
    }

    /**
     * The tasks of an array job as the batch system's array option reads them, task indices from 0,
     * with its throttle ({@code 0-999%50}); "0" when the job is not an array.
     */
    public String arraySpec(JobSubmission job) {
        if (job.arraySize() <= 0) {
            return "0";
        }
        return "0-" + (job.arraySize() - 1) + (job.arrayThrottle() > 0 ? "%" + job.arrayThrottle() : "");
    }

    /** The command printing the batch system's configuration, for {@link #maxArraySize}; empty: no arrays. */
    List<String> configCommand() {
        return List.of();
    }

    /**
     * The most tasks one array may have, from the configuration {@link #configCommand} printed;
     * empty when it does not say.
     */
    OptionalInt maxArraySize(String configuration) {
        return OptionalInt.empty();
    }

    /**
     * The command submitting {@code job}, run in the job's directory where its script
     * {@code <name>.sh} was written; with the job's partition, walltime, array and resources, and
     * the site's own options.
     */
    public abstract List<String> submitCommand(JobSubmission job, SiteSettings site);

    /** The options a site may add to every submission unchecked by hand ({@code submit-options}). */
    public Set<String> submitOptionsAllowed() {
        return Set.of();
    }

    /**
     * What a workflow step's own submit command may carry ({@code sbatch job.sh}); null: a step
     * cannot submit to this batch system by command. Each batch system has its own (qsub's are not
     * sbatch's).
     */
    public SubmitOptions.Rules stepSubmit() {
        return null;
    }

    /** The command cancelling the jobs of these ids; empty when none of them is one to cancel. */
    public abstract List<String> cancelCommand(List<String> jobIds);

    /** Whether a cancel that failed with this error output only met jobs already gone. */
    public abstract boolean cancelledAnyway(String stderr);

    /** The {@code acct} lines of a poll (ax_accounting) by job id; none without accounting. */
    Map<String, EndFacts> accounting(List<String> lines) {
        return Map.of();
    }

    /**
     * Why a job ended, from what the batch system says of it; null when that says nothing more
     * than the exit code. {@code account} is the user the commands run as, for "cancelled by".
     */
    JobEnd explain(EndFacts facts, Account account) {
        return null;
    }

    /** The account a cluster's commands run as (a poll prints it): its uid and user name. */
    record Account(String uid, String user) {
        static final Account UNKNOWN = new Account("", "");

        String named(String uid) {
            if (uid.equals(this.uid)) {
                return user + " (the account Automatix submits as)";
            }
            return uid.equals("0") ? "root" : "uid " + uid;
        }
    }
}
