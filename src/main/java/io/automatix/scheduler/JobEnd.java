package io.automatix.scheduler;

/**
 * Why a job ended, in words a person understands, with the facts behind them as far as they are
 * known (any of them may be null): the batch system's final state, the signal that ended it, its
 * elapsed time, the most memory it used, the node it ran on. Recovery policies are written per
 * {@link Reason}.
 */
public record JobEnd(
        Reason reason,
        String detail,
        String state,
        Integer signal,
        Long elapsedSeconds,
        Long maxRssBytes,
        String node) {

    /** The reasons a step's recovery policy can name. */
    public enum Reason {
        /** ran to its end with exit code 0 */
        COMPLETED,
        /** ran to its end with a non-zero exit code */
        EXIT_CODE,
        /** ended by a signal the batch system does not explain */
        SIGNALLED,
        /** used more memory than it asked for */
        OUT_OF_MEMORY,
        /** ran past its walltime */
        TIMEOUT,
        /** its node failed */
        NODE_FAIL,
        /** preempted by a job of higher priority */
        PREEMPTED,
        /** cancelled (by whom, where known, in the detail) */
        CANCELLED,
        /** the batch system could not start it (boot failure, deadline) */
        NOT_STARTED,
        /** gone without an outcome anyone recorded */
        LOST
    }

    public static JobEnd of(Reason reason, String detail) {
        return new JobEnd(reason, detail, null, null, null, null, null);
    }

    /**
     * The end of a report that says no more than its exit code (a job's own push, a status file
     * without a signal): completed, exit code N, or the report's words; null for a start.
     */
    public static JobEnd plain(JobStatus.Event event, Integer exitCode, String detail) {
        return switch (event) {
            case STARTED, REQUEUED -> null;
            case LOST -> of(Reason.LOST, detail);
            case FINISHED ->
                exitCode == null
                        ? of(Reason.SIGNALLED, detail == null ? "failed, the batch system said no more" : detail)
                        : exitCode == 0 ? of(Reason.COMPLETED, null) : of(Reason.EXIT_CODE, "exit code " + exitCode);
        };
    }
}
