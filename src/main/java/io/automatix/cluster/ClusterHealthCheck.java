package io.automatix.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.automatix.ssh.CommandResult;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Ready while a command runs on the cluster over its SSH transport (a local cluster is always reachable). */
public final class ClusterHealthCheck extends AbstractHealthCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Cluster cluster;
    private final Clusters clusters;

    public ClusterHealthCheck(Cluster cluster, Clusters clusters) {
        super("automatix", "cluster-" + cluster.name());
        this.cluster = cluster;
        this.clusters = clusters;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("scheduler", cluster.scheduler());
        if (!cluster.remote()) {
            builder.up().detail("ssh", "none (local)");
            return;
        }
        builder.detail("ssh", cluster.ssh().toString());
        try {
            CommandResult result = clusters.shell(cluster).run(List.of("true"), TIMEOUT);
            if (result.succeeded()) {
                builder.up();
            } else {
                builder.down().message(cluster.ssh() + ": " + result.summary());
            }
        } catch (Exception e) {
            builder.down().message(cluster.ssh() + ": " + e.getMessage()).error(e);
        }
    }
}
