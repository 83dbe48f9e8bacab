package io.automatix.process;

import java.io.IOException;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

import io.automatix.cluster.Cluster;
import io.automatix.scheduler.BatchScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The most tasks one job array may have on each cluster: its {@code max-array-size} setting, else
 * what its batch system's configuration says (SLURM's MaxArraySize), asked once per cluster the
 * first time an array is planned there and kept. Where the configuration says nothing, SLURM's
 * default (1001), with one warning.
 */
final class ArrayLimits {

    private static final Logger LOG = LoggerFactory.getLogger(ArrayLimits.class);
    /** SLURM's MaxArraySize when slurm.conf does not set it: task indices 0 to 1000. */
    static final int SLURM_DEFAULT = 1001;

    private final Map<String, Integer> known = new ConcurrentHashMap<>();

    /**
     * @return the most tasks of one array (no limit where the batch system has no arrays: its tasks
     *         are submitted one by one anyway)
     * @throws IOException when the cluster could not be reached (nothing is kept: asked again next time)
     */
    int of(Cluster cluster, BatchScheduler scheduler) throws IOException {
        if (cluster.maxArraySize() != null) {
            return cluster.maxArraySize();
        }
        if (!scheduler.supportsArrays()) {
            return Integer.MAX_VALUE;
        }
        Integer size = known.get(cluster.name());
        if (size != null) {
            return size;
        }
        OptionalInt read = scheduler.maxArraySize();
        if (read.isEmpty()) {
            LOG.warn(
                    "The MaxArraySize of cluster {} could not be read: its job arrays are split at {} tasks,"
                            + " SLURM's default. Set automatix.clusters.{}.max-array-size to the cluster's value.",
                    cluster.name(),
                    SLURM_DEFAULT,
                    cluster.name());
        } else {
            LOG.info("Cluster {} takes job arrays of at most {} tasks (MaxArraySize)", cluster.name(), read.getAsInt());
        }
        return known.computeIfAbsent(cluster.name(), k -> read.orElse(SLURM_DEFAULT));
    }
}
