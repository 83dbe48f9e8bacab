package io.automatix.process;

import java.time.Duration;

/**
 * A job this router claimed for submission, with what its script is rendered from. {@code recovered}:
 * it was already submitting (its outcome unknown), so it is looked up before it is submitted.
 */
public record ClaimedJob(
        long id,
        long runId,
        String step,
        String cluster,
        String name,
        int attempt,
        String partition,
        Duration walltime,
        boolean recovered,
        String runName,
        String pipeline,
        String metadata,
        String rawLocation) {}
