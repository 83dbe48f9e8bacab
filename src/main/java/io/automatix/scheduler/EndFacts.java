package io.automatix.scheduler;

/**
 * What a batch system says of a job that ended, from its accounting or, with less, from its queue:
 * its final state (as the batch system names it, e.g. {@code CANCELLED by 1000}), exit code and
 * signal, elapsed time against its time limit, memory asked for against the most it used, and its
 * node. Any but the state may be null.
 */
record EndFacts(
        String state,
        Integer exitCode,
        Integer signal,
        Long elapsedSeconds,
        Long limitSeconds,
        Long memoryAsked,
        Long maxRss,
        String node) {

    /** What a queue listing says: the state alone. */
    static EndFacts state(String state) {
        return new EndFacts(state, null, null, null, null, null, null, null);
    }

    /** The exit code a shell would show: the code, or 128 + the signal that ended the job. */
    Integer shellExitCode() {
        if (signal != null && signal > 0) {
            return 128 + signal;
        }
        return exitCode;
    }
}
