package io.automatix.supervise;

import java.time.Duration;

/**
 * The supervise flow's settings ({@code automatix.supervise.*}).
 *
 * @param lateGrace        a running job is late past its expected run time (or walltime) plus this
 * @param queuedLimit      a queued job is late after waiting this long
 * @param maxPerJob        supervisions a job may have; past that its run fails
 * @param maxPerRun        supervisions a run may have within {@code period}
 * @param dispatchAttempts tries to reach the cluster before a dispatch is escalated
 * @param dispatchBackoff  the first wait between tries (doubled each time)
 * @param dispatchTimeout  wall-clock limit of a recovery script on the cluster
 * @param lease            when another router takes over a dispatch whose router went silent
 */
public record SupervisionSettings(
        Duration lateGrace,
        Duration queuedLimit,
        int maxPerJob,
        int maxPerRun,
        Duration period,
        int dispatchAttempts,
        Duration dispatchBackoff,
        Duration dispatchTimeout,
        Duration lease) {

    Duration backoffAfter(int attempt) {
        return dispatchBackoff.multipliedBy(1L << Math.min(attempt - 1, 10));
    }
}
