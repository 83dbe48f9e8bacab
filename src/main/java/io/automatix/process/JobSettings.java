package io.automatix.process;

import java.time.Duration;

/**
 * The process flow's settings ({@code automatix.process.*}).
 *
 * @param enabled       whether this router creates jobs for ondeck runs (it still submits and monitors)
 * @param push          whether job wrappers push status over AMQP (where a cluster has a push URL)
 * @param submitBatch   jobs per submission round trip
 * @param submitPasses  submission round trips in flight at once
 * @param lease         how long a router's claim on a submitting job holds
 * @param backoff       how long a job waits after the scheduler refused it (back-pressure)
 * @param retryDelay    how long a failed job waits before its next attempt
 * @param pollMin       the poll interval while jobs change; doubled while nothing does...
 * @param pollMax       ...up to this
 */
public record JobSettings(
        boolean enabled,
        String defaultPipeline,
        String defaultCluster,
        boolean push,
        int submitBatch,
        int submitPasses,
        Duration lease,
        Duration timeout,
        Duration backoff,
        Duration retryDelay,
        Duration pollMin,
        Duration pollMax) {}
