package io.automatix.cluster;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which configured clusters their health checks last found out, and since when: shared by the
 * checks so that one cluster out of several makes the router degraded, not unready (its other
 * clusters keep working, each on its own workers), while every cluster out makes it down.
 */
public final class ClusterOutages {

    private final List<String> clusters;
    private final Map<String, Instant> out = new ConcurrentHashMap<>();

    public ClusterOutages(List<String> clusters) {
        this.clusters = List.copyOf(clusters);
    }

    /** Records the cluster out (keeping when it went out) and says since when. */
    Instant out(String cluster) {
        return out.computeIfAbsent(cluster, c -> Instant.now());
    }

    void in(String cluster) {
        out.remove(cluster);
    }

    /** A configured cluster other than this one that is not known to be out, if any. */
    Optional<String> anotherWorking(String cluster) {
        return clusters.stream()
                .filter(c -> !c.equals(cluster) && !out.containsKey(c))
                .findFirst();
    }
}
