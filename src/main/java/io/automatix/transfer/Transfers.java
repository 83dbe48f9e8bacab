package io.automatix.transfer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import io.automatix.cluster.Cluster;
import io.automatix.cluster.Clusters;
import io.automatix.db.Transactions;
import io.automatix.run.Roots;
import io.automatix.ssh.CommandResult;
import io.automatix.ssh.LocalShell;
import io.automatix.ssh.NeedsLogin;
import io.automatix.ssh.Shell;
import io.automatix.ssh.Transport;
import io.automatix.ssh.Transports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transfer flow's work: a claimed run's data goes from its acquisition host to
 * {@code <cluster scratch>/<run>} with rsync, never while the acquisition is live, is verified, and
 * the run becomes {@code ondeck}. Transient errors are retried with back-off up to the attempt limit;
 * permanent ones (no such file, permission denied, verification mismatch) fail the run at once.
 */
public final class Transfers {

    private static final Logger LOG = LoggerFactory.getLogger(Transfers.class);
    private static final Duration QUICK = Duration.ofSeconds(60);

    private final TransferStore store;
    private final TransferSettings settings;
    private final Sources sources;
    private final Clusters clusters;
    private final Transports transports;
    private final TransferProgress progress;
    private final Path staging;
    private final CopyVerifier verifier;
    private final Shell local = new LocalShell();
    private final Map<Long, TransferRun> running = new ConcurrentHashMap<>();
    private volatile List<Map<String, Object>> lastPlan = List.of();

    private Transfers(
            TransferStore store,
            TransferSettings settings,
            Sources sources,
            Clusters clusters,
            Transports transports,
            TransferProgress progress,
            Path staging) {
        this.store = store;
        this.settings = settings;
        this.sources = sources;
        this.clusters = clusters;
        this.transports = transports;
        this.progress = progress;
        this.staging = staging;
        this.verifier = new CopyVerifier(settings.verify(), settings.timeout());
    }

    public static Transfers create(
            Transactions transactions,
            String router,
            TransferSettings settings,
            Sources sources,
            Clusters clusters,
            Transports transports,
            TransferProgress progress,
            Path staging) {
        return new Transfers(
                new TransferStore(transactions, router, settings.lease()),
                settings,
                sources,
                clusters,
                transports,
                progress,
                staging);
    }

    /** Claims as many due runs as this router has free transfer slots (none in dry-run mode). */
    public synchronized List<TransferRun> claim() {
        if (settings.dryRun()) {
            plan();
            return List.of();
        }
        int free = settings.concurrency() - running.size();
        if (free <= 0) {
            return List.of();
        }
        List<TransferRun> claimed = store.claim(free);
        claimed.forEach(run -> running.put(run.id(), run));
        return claimed;
    }

    /** Keeps this router's claims on the runs it is transferring. */
    public void renewLeases() {
        store.renew(List.copyOf(running.keySet()));
    }

    public void transfer(TransferRun run) {
        int attempt = run.attempts() + 1;
        try {
            attempt = copy(run);
        } catch (TransferFailure failure) {
            record(run, attempt, failure.getMessage(), failure.permanent());
        } catch (IOException | RuntimeException e) {
            record(run, attempt, e.getMessage() == null ? e.toString() : e.getMessage(), false);
        } finally {
            running.remove(run.id());
            progress.finished(run.name());
        }
    }

    /**
     * Counts the attempt whether or not the copy had started, so an unreachable source also runs out
     * of attempts; but not while an end waits for a person's login: that is not the run's fault.
     */
    private void record(TransferRun run, int attempt, String reason, boolean permanent) {
        Optional<NeedsLogin> login = permanent ? Optional.empty() : needsLogin(run);
        if (login.isPresent()) {
            LOG.info("Transfer of {} waits: {}", run.name(), login.get().getMessage());
            store.retry(run, run.attempts(), null, login.get().getMessage(), settings.backoffAfter(1));
            return;
        }
        if (permanent || attempt >= settings.maxAttempts()) {
            String error = permanent ? reason : "gave up after " + attempt + " attempts: " + reason;
            LOG.warn("Transfer of {} failed: {}", run.name(), error);
            store.fail(run, attempt, error);
        } else {
            Duration delay = settings.backoffAfter(attempt);
            LOG.info(
                    "Transfer of {} (attempt {}) will be retried in {}s: {}",
                    run.name(),
                    attempt,
                    delay.toSeconds(),
                    reason);
            store.retry(run, attempt, reason, null, delay);
        }
    }

    /** @return the attempt number this was */
    private int copy(TransferRun run) throws TransferFailure, IOException {
        Route route = route(run);
        if (isLive(route)) {
            String note = "acquisition live on " + route.source.name() + " (" + route.source.liveCheck() + ")";
            LOG.info("Not transferring {}: {}", run.name(), note);
            store.retry(run, run.attempts(), null, note, settings.liveRecheck());
            return run.attempts();
        }
        // again now, before anything is copied: a link swapped in since the offer must not lead out
        route = resolved(route);
        if (!store.start(run)) {
            LOG.warn("Run {} is no longer claimed by this router; leaving it", run.name());
            return run.attempts();
        }
        int attempt = run.attempts() + 1;
        progress.started(run.name(), route.from(), route.to());
        LOG.info("Transferring {} from {} to {} (attempt {})", run.name(), route.from(), route.to(), attempt);
        long t0 = System.nanoTime();
        rsync(run, route);
        long t1 = System.nanoTime();
        verifier.verify(route.sourceShell, route.sourcePath, route.clusterShell, route.destination);
        long t2 = System.nanoTime();
        if (!store.finish(run, route.location())) {
            LOG.warn("Run {} was taken over while it transferred; its new owner finishes it", run.name());
            return attempt;
        }
        LOG.info(
                "Run {} is on deck at {} (copy {} s, verification {} s)",
                run.name(),
                route.to(),
                seconds(t1 - t0),
                seconds(t2 - t1));
        if (settings.removeSource()) {
            removeSource(run, route);
        }
        return attempt;
    }

    private Optional<NeedsLogin> needsLogin(TransferRun run) {
        try {
            return route(run).needsLogin();
        } catch (TransferFailure e) {
            return Optional.empty();
        }
    }

    /** Where a run's data comes from and goes to, and the shells that reach both ends. */
    private record Route(
            Source source,
            Transport sourceTransport,
            Shell sourceShell,
            String sourcePath,
            Cluster cluster,
            Transport clusterTransport,
            Shell clusterShell,
            String destination) {
        String from() {
            return (source.ssh() == null ? "" : source.ssh().host() + ":") + sourcePath;
        }

        String to() {
            return cluster.name() + ":" + destination;
        }

        /** An end that only a person's login can reach again. */
        Optional<NeedsLogin> needsLogin() {
            return Stream.of(sourceTransport, clusterTransport)
                    .filter(Objects::nonNull)
                    .map(Transport::needsLogin)
                    .flatMap(Optional::stream)
                    .findFirst();
        }

        /** The same route from the source path's real path (so that rsync follows no link at its top). */
        Route withSourcePath(String realPath) {
            return new Route(
                    source,
                    sourceTransport,
                    sourceShell,
                    realPath,
                    cluster,
                    clusterTransport,
                    clusterShell,
                    destination);
        }

        String location() {
            return cluster.name() + "/"
                    + (cluster.remote() ? cluster.ssh().userOrDefault() : System.getProperty("user.name"));
        }
    }

    private Route route(TransferRun run) throws TransferFailure {
        Source source = sources.of(run.sourceHost())
                .orElseThrow(() -> TransferFailure.permanent("source host '" + run.sourceHost()
                        + "' is not configured (automatix.sources." + run.sourceHost() + ".host)"));
        if (run.sourcePath() == null) {
            throw TransferFailure.permanent("the run has no source_path");
        }
        // runs the acquisition system inserted were never checked at ingest
        Optional<String> outside = source.roots().outside("source_path", run.sourcePath());
        if (outside.isPresent()) {
            throw TransferFailure.permanent(outside.get());
        }
        String clusterName = run.cluster() != null ? run.cluster() : settings.defaultCluster();
        Cluster cluster = clusters.get(clusterName)
                .orElseThrow(() -> TransferFailure.permanent("cluster '" + clusterName + "' is not configured"));
        if (settings.mode().equals("push") && !cluster.remote()) {
            throw TransferFailure.permanent("push mode needs a remote cluster; '" + clusterName + "' is local");
        }
        Transport sourceTransport = source.ssh() == null ? null : transports.of(source.ssh());
        return new Route(
                source,
                sourceTransport,
                sourceTransport == null ? local : sourceTransport.shell(),
                run.sourcePath(),
                cluster,
                cluster.remote() ? clusters.transport(cluster) : null,
                clusters.shell(cluster),
                cluster.runDirectory(run.name()));
    }

    /**
     * The route from the source path's real path, once it is known to be inside the source's roots:
     * {@code toRealPath} on this host, {@code realpath -e} (and {@code -m} for the roots) on a source
     * host over its connection.
     */
    private Route resolved(Route route) throws TransferFailure, IOException {
        Roots roots = route.source.roots();
        if (route.source.ssh() == null) {
            try {
                return route.withSourcePath(roots.resolveLocal("source_path", route.sourcePath, true)
                        .toString());
            } catch (Roots.Refused e) {
                throw TransferFailure.permanent(e.getMessage());
            }
        }
        List<String> argv = new ArrayList<>(List.of(
                "sh", "-c", "realpath -e -- \"$1\" || exit; shift; realpath -m -- \"$@\"", "sh", route.sourcePath));
        roots.paths().forEach(root -> argv.add(root.toString()));
        CommandResult r = route.sourceShell.run(argv, QUICK);
        check(r, "realpath on " + route.sourceShell.describe());
        List<String> lines = r.stdout().lines().toList();
        if (lines.size() != 1 + roots.paths().size()) {
            throw TransferFailure.permanent(
                    "realpath on " + route.sourceShell.describe() + " of " + route.sourcePath + " gave " + lines.size()
                            + " line(s) for " + (1 + roots.paths().size()) + " path(s): " + r.stdout());
        }
        Optional<String> outside =
                roots.outsideResolved("source_path", route.sourcePath, lines.get(0), lines.subList(1, lines.size()));
        if (outside.isPresent()) {
            throw TransferFailure.permanent(outside.get() + " (on " + route.source.name() + ")");
        }
        return route.withSourcePath(lines.get(0));
    }

    private boolean isLive(Route route) throws TransferFailure, IOException {
        if (route.source.liveCheck() == null) {
            return false;
        }
        CommandResult r = route.sourceShell.run(List.of("sh", "-c", route.source.liveCheck()), QUICK);
        if (r.timedOut() || r.exitCode() > 1) {
            throw TransferFailure.transientFailure(
                    "acquisition live check on " + route.sourceShell.describe() + " failed: " + r.summary());
        }
        return r.exitCode() == 0;
    }

    private void rsync(TransferRun run, Route route) throws TransferFailure, IOException {
        mkdirs(route.clusterShell, route.destination);
        if (settings.mode().equals("push")) {
            check(
                    route.sourceShell.run(
                            rsync().via(route.source.pushSsh())
                                    .copy(
                                            route.sourcePath,
                                            RsyncCommand.remote(route.clusterTransport, route.destination)),
                            settings.timeout(),
                            line -> progress(run, line)),
                    "rsync on " + route.sourceShell.describe());
            return;
        }
        String from = route.source.ssh() == null
                ? route.sourcePath
                : RsyncCommand.remote(route.sourceTransport, route.sourcePath);
        RsyncCommand pull = route.source.ssh() == null ? rsync() : rsync().via(route.sourceTransport.sshCommand());
        // rsync's sessions through a transport's connection count against the host's max-sessions
        Shell pulling = route.source.ssh() == null ? local : route.sourceTransport.sessionsOf(local);
        if (!route.cluster.remote()) {
            check(
                    pulling.run(pull.copy(from, route.destination), settings.timeout(), line -> progress(run, line)),
                    "rsync");
            return;
        }
        Shell pushing = route.clusterTransport.sessionsOf(local);
        String push = RsyncCommand.remote(route.clusterTransport, route.destination);
        RsyncCommand pushCommand = rsync().via(route.clusterTransport.sshCommand());
        if (route.source.ssh() == null) {
            check(pushing.run(pushCommand.copy(from, push), settings.timeout(), line -> progress(run, line)), "rsync");
            return;
        }
        // both ends remote: relay through this host's staging directory
        String stage = staging.resolve(run.name()).toString();
        mkdirs(local, stage);
        check(
                pulling.run(pull.copy(from, stage), settings.timeout(), line -> progress(run, line)),
                "rsync from source");
        check(
                pushing.run(pushCommand.copy(stage, push), settings.timeout(), line -> progress(run, line)),
                "rsync to cluster");
        local.run(List.of("rm", "-rf", "--", stage), QUICK);
    }

    private static String seconds(long nanos) {
        return String.format("%.2f", nanos / 1e9);
    }

    private RsyncCommand rsync() {
        return RsyncCommand.create(settings.rsyncOptions());
    }

    private void progress(TransferRun run, String line) {
        RsyncProgress.parse(line).ifPresent(p -> progress.update(run.name(), p));
    }

    private static void mkdirs(Shell shell, String directory) throws TransferFailure, IOException {
        check(shell.run(List.of("mkdir", "-p", "--", directory), QUICK), "mkdir on " + shell.describe());
    }

    private void removeSource(TransferRun run, Route route) {
        if (Path.of(route.sourcePath).getNameCount() < 2) {
            LOG.warn("Not removing the source of {}: {} is too close to /", run.name(), route.sourcePath);
            return;
        }
        try {
            CommandResult r = route.sourceShell.run(List.of("rm", "-rf", "--", route.sourcePath), settings.timeout());
            if (!r.succeeded()) {
                LOG.warn("Could not remove the source of {} at {}: {}", run.name(), route.from(), r.summary());
            }
        } catch (IOException e) {
            LOG.warn("Could not remove the source of {} at {}: {}", run.name(), route.from(), e.getMessage());
        }
    }

    /** rsync exit codes 1-4 (usage, protocol, file selection) and missing or forbidden files are permanent. */
    static void check(CommandResult r, String what) throws TransferFailure {
        if (r.succeeded()) {
            return;
        }
        String err = r.stderr() == null ? "" : r.stderr();
        boolean permanent = !r.timedOut()
                && (r.exitCode() >= 1 && r.exitCode() <= 4
                        || err.contains("No such file or directory")
                        || err.contains("Permission denied") && !err.contains("publickey"));
        String message = what + " " + r.summary();
        throw permanent ? TransferFailure.permanent(message) : TransferFailure.transientFailure(message);
    }

    /** Dry run: what would be transferred, changing nothing. */
    public List<Map<String, Object>> plan() {
        List<Map<String, Object>> plan = new ArrayList<>();
        for (TransferRun run : store.due(100)) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("run", run.name());
            try {
                Route route = route(run);
                item.put("from", route.from());
                route = resolved(route);
                item.put("to", route.to());
                if (isLive(route)) {
                    item.put("would", "wait: acquisition live");
                } else {
                    item.put("would", "transfer: " + dryRunStats(route));
                }
            } catch (TransferFailure | IOException e) {
                item.put("would", "fail: " + e.getMessage());
            }
            LOG.info("Dry run: {} {} -> {}: {}", run.name(), item.get("from"), item.get("to"), item.get("would"));
            plan.add(item);
        }
        lastPlan = plan;
        return plan;
    }

    private String dryRunStats(Route route) throws IOException, TransferFailure {
        Shell shell = route.source.ssh() == null ? local : route.sourceShell;
        CommandResult r = shell.run(rsync().dryRun().copy(route.sourcePath, "/nonexistent-dry-run-target"), QUICK);
        check(r, "rsync --dry-run");
        return r.stdout()
                .lines()
                .filter(l -> l.startsWith("Number of regular files transferred")
                        || l.startsWith("Total transferred file size"))
                .map(String::strip)
                .reduce((a, b) -> a + ", " + b)
                .orElse("?");
    }

    /** For the API. */
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("dry_run", settings.dryRun());
        status.put("running", progress.snapshot());
        if (settings.dryRun()) {
            status.put("plan", lastPlan);
        }
        return status;
    }
}
