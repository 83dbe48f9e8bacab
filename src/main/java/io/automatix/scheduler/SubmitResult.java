package io.automatix.scheduler;

import java.time.Instant;

/** What became of one submission; {@code at} is when the scheduler accepted it (null: unknown). */
public record SubmitResult(String name, Outcome outcome, String jobId, String message, Instant at) {

    public enum Outcome {
        /** accepted under a new scheduler id */
        SUBMITTED,
        /** already there from an earlier submission: nothing was submitted */
        FOUND,
        /** refused for now (limits, an unreachable controller): back-pressure, try again later */
        REFUSED,
        /** refused for good (an invalid partition, an unreadable script): the job fails */
        REJECTED
    }
}
