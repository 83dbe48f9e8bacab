package io.automatix.cluster;

import java.time.Duration;
import java.util.Map;

import io.automatix.ssh.SshProbe;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Ready while the cluster's SSH login works (a local cluster is always reachable). */
public final class ClusterHealthCheck extends AbstractHealthCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Cluster cluster;

    public ClusterHealthCheck(Cluster cluster) {
        super("automatix", "cluster-" + cluster.name());
        this.cluster = cluster;
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
            SshProbe.login(cluster.ssh(), TIMEOUT);
            builder.up();
        } catch (Exception e) {
            builder.down().message(cluster.ssh() + ": " + e.getMessage()).error(e);
        }
    }
}
