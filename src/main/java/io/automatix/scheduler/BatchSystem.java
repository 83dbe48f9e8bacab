package io.automatix.scheduler;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What Automatix must know of one batch system, mostly as data, in the manner of Cylc's job runner
 * handlers: how to submit a job, where the job id is in the answer, which refusals are for good,
 * the one command polling all of a cluster's jobs and what its states mean, how to cancel. Its
 * shell functions (look-up, a step's own command; see common.sh) are the resource
 * {@code <name>.sh} beside the class. {@link ShellScheduler} does the rest, the same for all.
 */
public interface BatchSystem {

    /** What a batch system's job state means to Automatix; a state not in the table: still waiting. */
    enum State {
        RUNNING,
        /** ended well, though only the status file has the exit code */
        SUCCEEDED,
        /** ended badly, with no exit code from the batch system */
        FAILED,
        /** ended without having run to its end (cancelled, preempted) */
        LOST
    }

    /** The cluster's {@code scheduler} setting that picks it. */
    String name();

    /** Whether {@link JobSubmission#arraySize()} is honoured. */
    boolean supportsArrays();

    /**
     * The command submitting {@code job}, run in the job's directory where its script
     * {@code <name>.sh} was written; with the job's partition, walltime, array and resources.
     */
    List<String> submitCommand(JobSubmission job);

    /**
     * A line of the submit command's answer that carries the job id (group {@code id}); the last
     * such line counts. An answer of a successful command without one is a rejection.
     */
    Pattern jobId();

    /** What makes a refusal permanent (the job fails); any other refusal is back-pressure. */
    Pattern permanentRefusal();

    /**
     * The one command listing the jobs of a cluster. It may read a {@code <name>|<id>} line per
     * watched job on its stdin, for a batch system that must ask about each.
     */
    List<String> pollCommand();

    /** A line of the poll answer: groups {@code id}, {@code name} and {@code state}. */
    Pattern pollLine();

    /** The batch system's states that mean something, by name. */
    Map<String, State> states();

    /** How the id of an array's task shows its index (group {@code task}); empty: no arrays. */
    default Optional<Pattern> arrayTaskId() {
        return Optional.empty();
    }

    /** The command cancelling the jobs of these ids; empty when none of them is one to cancel. */
    List<String> cancelCommand(List<String> jobIds);

    /** Whether a cancel that failed with this error output only met jobs already gone. */
    boolean cancelledAnyway(String stderr);
}
