package io.automatix.supervise;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.automatix.cluster.Cluster;
import io.automatix.cluster.Clusters;
import io.automatix.config.Settings;

/**
 * The supervise flow's settings ({@code automatix.supervise.*}).
 *
 * @param level            0 off, 1 notify, 2 automatic, for clusters that set no supervision-level
 * @param lateGrace        a running job is late past its expected run time (or walltime) plus this
 * @param queuedLimit      a queued job is late after waiting this long
 * @param maxPerJob        supervisions a job may have; past that its run fails
 * @param maxPerRun        supervisions a run may have within {@code period}
 * @param dispatchAttempts tries to reach the cluster before a dispatch is escalated
 * @param dispatchBackoff  the first wait between tries (doubled each time)
 * @param dispatchTimeout  wall-clock limit of a recovery script on the cluster
 * @param lease            when another router takes over a dispatch whose router went silent
 * @param stuckAfterRefusals a job whose attempt the scheduler refused this many times is stuck...
 * @param stuckAfter       ...as is one refused for this long (automatix.process.stuck-after-*: they
 *                         are the process flow's refusals, which supervision tells operators of)
 */
public record SupervisionSettings(
        int level,
        Duration lateGrace,
        Duration queuedLimit,
        int maxPerJob,
        int maxPerRun,
        Duration period,
        int dispatchAttempts,
        Duration dispatchBackoff,
        Duration dispatchTimeout,
        Duration lease,
        int stuckAfterRefusals,
        Duration stuckAfter) {

    public static SupervisionSettings from(Settings settings) {
        return new SupervisionSettings(
                settings.getInt("automatix.supervise.level"),
                settings.seconds("automatix.supervise.late-grace-seconds"),
                settings.seconds("automatix.supervise.queued-limit-seconds"),
                settings.getInt("automatix.supervise.max-per-job"),
                settings.getInt("automatix.supervise.max-per-run"),
                Duration.ofHours(settings.getInt("automatix.supervise.period-hours")),
                settings.getInt("automatix.supervise.dispatch-attempts"),
                settings.seconds("automatix.supervise.dispatch-backoff-seconds"),
                settings.seconds("automatix.supervise.dispatch-timeout-seconds"),
                settings.seconds("automatix.supervise.dispatch-lease-seconds"),
                settings.getInt("automatix.process.stuck-after-refusals"),
                settings.seconds("automatix.process.stuck-after-seconds"));
    }

    /** The supervision level of each cluster: its own, or the default. */
    public Map<String, Integer> levels(Clusters clusters) {
        Map<String, Integer> levels = new TreeMap<>();
        for (Cluster cluster : clusters.all()) {
            levels.put(cluster.name(), cluster.supervisionLevel() != null ? cluster.supervisionLevel() : level);
        }
        return levels;
    }

    /** The clusters supervised automatically (level 2): the job engine holds their failed runs for the script. */
    public List<String> automatic(Clusters clusters) {
        return levels(clusters).entrySet().stream()
                .filter(e -> e.getValue() == 2)
                .map(Map.Entry::getKey)
                .toList();
    }

    Duration backoffAfter(int attempt) {
        return dispatchBackoff.multipliedBy(1L << Math.min(attempt - 1, 10));
    }
}
