package io.automatix.process;

import java.time.Duration;

import io.automatix.config.Settings;

/**
 * The process flow's settings ({@code automatix.process.*}).
 *
 * @param enabled       whether this router creates jobs for ondeck runs (it still submits and monitors)
 * @param push          whether job wrappers push status over AMQP (where a cluster has a push URL)
 * @param statusBatchSize pushed status reports applied per transaction
 * @param submitBatch   jobs per submission round trip
 * @param submitPasses  submission round trips in flight at once, per cluster
 * @param lease         how long a router's claim on a submitting job holds
 * @param backoff       how long a job waits after the scheduler refused it (back-pressure); doubled
 *                      with each further refusal of the same attempt...
 * @param backoffMax    ...up to this, so a job refused again and again does not hammer the scheduler
 * @param retryDelay    how long a failed job waits before its next attempt
 *
 * <p>The poll interval's bounds ({@code poll-min-ms}, {@code poll-max-ms}) are each cluster's
 * ({@link io.automatix.scheduler.SiteSettings}), these settings' values their default.
 */
public record JobSettings(
        boolean enabled,
        String defaultPipeline,
        String defaultCluster,
        boolean push,
        int statusBatchSize,
        int submitBatch,
        int submitPasses,
        Duration lease,
        Duration timeout,
        Duration backoff,
        Duration backoffMax,
        Duration retryDelay) {

    public static JobSettings from(Settings settings) {
        return new JobSettings(
                settings.getBoolean("automatix.process.enabled"),
                settings.get("automatix.process.default-pipeline"),
                settings.get("automatix.transfer.default-cluster"),
                settings.getBoolean("automatix.process.push"),
                settings.getInt("automatix.process.status-batch-size"),
                settings.getInt("automatix.process.submit-batch"),
                settings.getInt("automatix.process.submit-passes"),
                settings.seconds("automatix.process.submit-lease-seconds"),
                settings.seconds("automatix.process.submit-timeout-seconds"),
                settings.seconds("automatix.process.backoff-seconds"),
                settings.seconds("automatix.process.backoff-max-seconds"),
                settings.seconds("automatix.process.retry-delay-seconds"));
    }

    /**
     * The wait after a job's {@code refusals}-th refusal (1 for the first): doubling from backoff, at
     * most backoffMax (never less than backoff, should the maximum be set below it).
     */
    public Duration backoffAfter(int refusals) {
        Duration cap = backoffMax.compareTo(backoff) < 0 ? backoff : backoffMax;
        Duration delay = backoff.multipliedBy(1L << Math.min(Math.max(refusals, 1) - 1, 20));
        return delay.compareTo(cap) > 0 ? cap : delay;
    }
}
