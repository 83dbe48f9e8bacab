package io.automatix.scheduler;

import java.time.Instant;

/**
 * A fact about a job, pushed by the job itself or concluded from a poll: it started, it finished
 * with an exit code (null when only the scheduler's verdict is known: a failure without a code), or
 * it is lost (gone from the scheduler without an outcome). {@code at} is when it happened, if the
 * job said (null: when it is applied); {@code schedulerJobId} is the scheduler's id, if known;
 * {@code end} says why it ended, where that is known.
 */
public record JobStatus(
        String job, Event event, Integer exitCode, String detail, Instant at, String schedulerJobId, JobEnd end) {

    public enum Event {
        STARTED,
        FINISHED,
        LOST,
        /** it ran, and the batch system queued it again under the same id: it goes on (detail: why) */
        REQUEUED
    }

    public JobStatus(String job, Event event, Integer exitCode, String detail, Instant at, String schedulerJobId) {
        this(job, event, exitCode, detail, at, schedulerJobId, null);
    }

    public static JobStatus started(String job) {
        return new JobStatus(job, Event.STARTED, null, null, null, null);
    }

    public static JobStatus finished(String job, Integer exitCode, String detail) {
        return new JobStatus(job, Event.FINISHED, exitCode, detail, null, null);
    }

    public static JobStatus lost(String job, String detail) {
        return new JobStatus(job, Event.LOST, null, detail, null, null, JobEnd.of(JobEnd.Reason.LOST, detail));
    }

    public static JobStatus requeued(String job, String schedulerJobId, String detail, Instant at) {
        return new JobStatus(job, Event.REQUEUED, null, detail, at, schedulerJobId);
    }

    public JobStatus withSchedulerJobId(String id) {
        return new JobStatus(job, event, exitCode, detail, at, id, end);
    }

    public JobStatus withAt(Instant at) {
        return new JobStatus(job, event, exitCode, detail, at, schedulerJobId, end);
    }
}
