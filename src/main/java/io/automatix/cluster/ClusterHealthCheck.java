package io.automatix.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.automatix.ssh.CommandResult;
import io.automatix.ssh.NeedsLogin;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Ready while a command runs on the cluster over its SSH transport (a local cluster is always
 * reachable). A cluster waiting for a person's login ({@code login=interactive}) is degraded, not
 * down: the check stays UP with {@code state: needs-login}, {@code since} and {@code fix}. Camel
 * has no degraded state, and UNKNOWN would fail {@code /observe/health/ready} (readiness needs
 * every check UP), taking the whole router out of service for what a restart cannot fix and while
 * the other clusters work.
 */
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
        builder.detail("transport", cluster.ssh().transport().toString());
        List<ClusterDoctor.Finding> certificates = ClusterDoctor.certificates(cluster, Instant.now());
        for (ClusterDoctor.Finding cert : certificates) {
            builder.detail(cert.check(), cert.outcome().name().toLowerCase(Locale.ROOT) + ": " + cert.detail());
        }
        Optional<ClusterDoctor.Finding> expired = certificates.stream()
                .filter(f -> f.outcome() == ClusterDoctor.Outcome.FAIL)
                .findFirst();
        if (expired.isPresent()) {
            builder.down().message(cluster.ssh() + ": " + expired.get().detail());
            return;
        }
        Optional<NeedsLogin> needs = clusters.transport(cluster).needsLogin();
        if (needs.isPresent()) {
            degraded(builder, needs.get());
            return;
        }
        try {
            CommandResult result = clusters.shell(cluster).run(List.of("true"), TIMEOUT);
            if (result.succeeded()) {
                builder.up();
                certificates.stream()
                        .filter(f -> f.outcome() == ClusterDoctor.Outcome.WARN)
                        .findFirst()
                        .ifPresent(f -> builder.message("certificate expires soon: " + f.detail()));
            } else {
                builder.down().message(cluster.ssh() + ": " + result.summary());
            }
        } catch (NeedsLogin e) {
            degraded(builder, e);
        } catch (Exception e) {
            builder.down().message(cluster.ssh() + ": " + e.getMessage()).error(e);
        }
    }

    private static void degraded(HealthCheckResultBuilder builder, NeedsLogin needs) {
        builder.up()
                .detail("state", "needs-login")
                .detail("since", needs.since().toString())
                .detail("fix", needs.fix())
                .message("degraded (needs-login): " + needs.getMessage());
    }
}
