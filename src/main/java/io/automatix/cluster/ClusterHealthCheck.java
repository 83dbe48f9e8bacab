package io.automatix.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.automatix.scheduler.AccountingOutage;
import io.automatix.scheduler.BatchScheduler;
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
 * the other clusters work. For the same reason a cluster that is out (unreachable, failing, its
 * certificate expired) while another configured cluster works is degraded too: UP with
 * {@code state: out}, {@code cluster}, {@code since} and the error; only a cluster alone, or the
 * last one working, is DOWN. A cluster whose accounting does not answer (slurmdbd down) stays UP
 * with {@code accounting} saying since when: its jobs are still submitted and polled, and only those
 * that its accounting alone can explain wait.
 */
public final class ClusterHealthCheck extends AbstractHealthCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final ExecutorService PROBES = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "automatix-cluster-health");
        t.setDaemon(true);
        return t;
    });

    private final Cluster cluster;
    private final Clusters clusters;
    private final ClusterOutages outages;
    private final Supplier<Optional<AccountingOutage>> accounting;
    private final AtomicReference<CompletableFuture<CommandResult>> probe = new AtomicReference<>();

    /** The check of a cluster's login alone. */
    public ClusterHealthCheck(Cluster cluster, Clusters clusters, ClusterOutages outages) {
        this(cluster, clusters, outages, Optional::empty);
    }

    /** The check of a cluster's login and of its scheduler's accounting. */
    public ClusterHealthCheck(Cluster cluster, Clusters clusters, ClusterOutages outages, BatchScheduler scheduler) {
        this(cluster, clusters, outages, scheduler::accountingOutage);
    }

    private ClusterHealthCheck(
            Cluster cluster,
            Clusters clusters,
            ClusterOutages outages,
            Supplier<Optional<AccountingOutage>> accounting) {
        super("automatix", "cluster-" + cluster.name());
        this.cluster = cluster;
        this.clusters = clusters;
        this.outages = outages;
        this.accounting = accounting;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("scheduler", cluster.scheduler());
        builder.detail("cluster", cluster.name());
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
            out(builder, cluster.ssh() + ": " + expired.get().detail(), null);
            return;
        }
        Optional<NeedsLogin> needs = clusters.transport(cluster).needsLogin();
        if (needs.isPresent()) {
            degraded(builder, needs.get());
            return;
        }
        try {
            CommandResult result = probe();
            if (result.succeeded()) {
                outages.in(cluster.name());
                builder.up();
                List<String> warnings = new ArrayList<>();
                certificates.stream()
                        .filter(f -> f.outcome() == ClusterDoctor.Outcome.WARN)
                        .findFirst()
                        .ifPresent(f -> warnings.add("certificate expires soon: " + f.detail()));
                accounting.get().ifPresent(outage -> {
                    builder.detail("accounting", "does not answer since " + outage.since() + ": " + outage.error());
                    warnings.add("degraded: the accounting of " + cluster.name() + " does not answer since "
                            + outage.since() + " (" + outage.error() + "); its jobs that only the accounting can"
                            + " explain wait, the others are concluded from the queue and their status files."
                            + " Check slurmdbd");
                });
                if (!warnings.isEmpty()) {
                    builder.message(String.join("; ", warnings));
                }
            } else {
                out(builder, cluster.ssh() + ": " + result.summary(), null);
            }
        } catch (NeedsLogin e) {
            degraded(builder, e);
        } catch (Exception e) {
            out(builder, cluster.ssh() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code true} on the cluster, waiting at most the timeout: a frozen sshd can hold a
     * connect or a session open past the command's own timeout, and a health request must answer.
     * A probe still running is waited for again rather than started twice.
     */
    private CommandResult probe() throws Exception {
        CompletableFuture<CommandResult> running = probe.updateAndGet(p -> p != null && !p.isDone()
                ? p
                : CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return clusters.shell(cluster).run(List.of("true"), TIMEOUT);
                            } catch (Exception e) {
                                throw new CompletionException(e);
                            }
                        },
                        PROBES));
        try {
            return running.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new TimeoutException("no answer to `true` within " + TIMEOUT.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private void out(HealthCheckResultBuilder builder, String why, Exception error) {
        Instant since = outages.out(cluster.name());
        Optional<String> working = outages.anotherWorking(cluster.name());
        if (working.isPresent()) {
            builder.up()
                    .detail("state", "out")
                    .detail("since", since.toString())
                    .detail("error", why)
                    .message("degraded: cluster " + cluster.name() + " is out (" + why + "); its jobs wait, cluster "
                            + working.get() + " and any others work on");
        } else {
            builder.down().message(why);
            if (error != null) {
                builder.error(error);
            }
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
