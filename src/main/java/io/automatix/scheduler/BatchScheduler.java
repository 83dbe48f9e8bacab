package io.automatix.scheduler;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A batch system reached through a shell: SLURM over SSH, or local processes. Every operation
 * covers many jobs in one round trip, so a cluster costs one command per submission batch and one
 * per poll, however many jobs it runs.
 */
public interface BatchScheduler {

    /**
     * Writes each job's script beside it and submits it.
     *
     * @throws IOException when the cluster could not be reached or the answer was cut short: the
     *                     outcome of every job of the batch is unknown (look them up before
     *                     submitting again)
     */
    List<SubmitResult> submit(List<JobSubmission> jobs) throws IOException;

    /**
     * One query of the scheduler plus the status files of the given jobs, in one round trip: a
     * running job is reported started, a finished one finished, and a job is reported lost only
     * when the query itself succeeded and neither the scheduler nor the status file knows it. Jobs
     * still queued produce nothing.
     *
     * @throws IOException when the query failed: nothing may be concluded
     */
    List<JobStatus> poll(List<WatchedJob> jobs) throws IOException;

    /**
     * Since when the batch system's accounting (SLURM's sacct, slurmdbd) does not answer, as the
     * last poll that asked it found; empty while it answers, and at a site that keeps none.
     */
    default Optional<AccountingOutage> accountingOutage() {
        return Optional.empty();
    }

    /** Whether {@link JobSubmission#arraySize()} is honoured (else each task is submitted as a job of its own). */
    default boolean supportsArrays() {
        return false;
    }

    /**
     * The most tasks one job array may have on the cluster, as the batch system's configuration
     * says (SLURM's MaxArraySize, from {@code scontrol show config}); empty when it does not say, or
     * when the batch system has no arrays.
     *
     * @throws IOException when the cluster could not be reached
     */
    default OptionalInt maxArraySize() throws IOException {
        return OptionalInt.empty();
    }

    /**
     * What keeps the batch system from working on its cluster (a command missing from the PATH, its
     * query failing), each said so that an operator can act; empty when it answers.
     *
     * @throws IOException when the cluster could not be reached
     */
    List<String> check() throws IOException;

    /** Cancels the jobs (those already gone are ignored). */
    void cancel(List<WatchedJob> jobs) throws IOException;
}
