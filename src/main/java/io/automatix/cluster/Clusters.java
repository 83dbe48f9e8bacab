package io.automatix.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.automatix.config.Settings;
import io.automatix.scheduler.BatchSystems;
import io.automatix.scheduler.SiteSettings;
import io.automatix.ssh.CommandResult;
import io.automatix.ssh.HostSettings;
import io.automatix.ssh.LocalShell;
import io.automatix.ssh.NeedsLogin;
import io.automatix.ssh.Shell;
import io.automatix.ssh.ShellQuote;
import io.automatix.ssh.SshTarget;
import io.automatix.ssh.Transport;
import io.automatix.ssh.Transports;

/**
 * The configured clusters, read from {@code automatix.clusters.<name>.<key>} properties, and the
 * shell each is reached by.
 */
public final class Clusters {

    private static final String PREFIX = "automatix.clusters.";
    /** Where a site setting's global default is: {@code automatix.process.<key>}. */
    private static final String GLOBAL = "automatix.process.";

    private static final Set<String> SITE_KEYS = union(SiteSettings.KEYS, Set.of("run-dir", "job-dir"));
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]*");

    private static final Set<String> KEYS = HostSettings.withSshKeys(union(
            SITE_KEYS, Set.of("scheduler", "scratch", "max-jobs", "push-url", "supervision-level", "max-array-size")));

    private static final Shell LOCAL = new LocalShell();

    private final Map<String, Cluster> byName;
    private final Transports transports;

    private Clusters(Map<String, Cluster> byName, Transports transports) {
        this.byName = byName;
        this.transports = transports;
    }

    public static Clusters from(Settings settings, Path dataDirectory, Transports transports) {
        Properties properties = settings.withPrefix(PREFIX);
        properties.putAll(settings.withPrefix(GLOBAL));
        return from(properties, dataDirectory, transports);
    }

    /**
     * Builds the clusters from properties. The {@code local} cluster (jobs as local processes,
     * scratch under the data directory) exists unless configured otherwise. A site setting a
     * cluster does not set is the global {@code automatix.process.<key>}, if any.
     */
    public static Clusters from(Properties properties, Path dataDirectory, Transports transports) {
        Map<String, Map<String, String>> settings = HostSettings.byName(properties, PREFIX, NAME, KEYS);
        settings.putIfAbsent("local", Map.of());
        Map<String, Cluster> clusters = new TreeMap<>();
        settings.forEach((name, s) -> clusters.put(name, cluster(name, s, properties, dataDirectory)));
        return new Clusters(clusters, transports);
    }

    private static Cluster cluster(String name, Map<String, String> s, Properties properties, Path dataDirectory) {
        SshTarget ssh = SshTarget.fromSettings(name, PREFIX + name + ".", s);
        String scheduler = s.getOrDefault("scheduler", ssh == null ? "local" : "slurm");
        if (!BatchSystems.names().contains(scheduler)) {
            throw new IllegalArgumentException("bad cluster setting '" + PREFIX + name + ".scheduler': '" + scheduler
                    + "' is not one of " + BatchSystems.names());
        }
        Path scratch = Path.of(s.getOrDefault(
                "scratch", ssh == null ? dataDirectory.resolve("scratch").toString() : "scratch"));
        String maxJobs = s.getOrDefault("max-jobs", "100");
        if (!maxJobs.matches("[1-9][0-9]{0,6}")) {
            throw new IllegalArgumentException(
                    "bad cluster setting '" + PREFIX + name + ".max-jobs': '" + maxJobs + "' is not a positive number");
        }
        String level = s.get("supervision-level");
        if (level != null && !level.matches("[012]")) {
            throw new IllegalArgumentException("bad cluster setting '" + PREFIX + name + ".supervision-level': '"
                    + level + "' is not 0 (off), 1 (notify) or 2 (automatic)");
        }
        String maxArraySize = s.get("max-array-size");
        if (maxArraySize != null && !maxArraySize.matches("[1-9][0-9]{0,8}")) {
            throw new IllegalArgumentException("bad cluster setting '" + PREFIX + name + ".max-array-size': '"
                    + maxArraySize + "' is not a positive number (SLURM's MaxArraySize; leave it out to ask scontrol)");
        }
        Function<String, String> site = key -> s.containsKey(key) ? s.get(key) : properties.getProperty(GLOBAL + key);
        Function<String, String> setting = key -> s.containsKey(key) ? PREFIX + name + "." + key : GLOBAL + key;
        return new Cluster(
                name,
                scheduler,
                ssh,
                scratch,
                Integer.parseInt(maxJobs),
                s.get("push-url"),
                level == null ? null : Integer.valueOf(level),
                maxArraySize == null ? null : Integer.valueOf(maxArraySize),
                ScratchLayout.read(site, setting),
                SiteSettings.read(scheduler, site, setting));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.TreeSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    public Collection<Cluster> all() {
        return byName.values();
    }

    public Optional<Cluster> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Where the cluster's commands run: over its SSH transport, or on this host. */
    public Shell shell(Cluster cluster) {
        return cluster.remote() ? transport(cluster).shell() : LOCAL;
    }

    /** How a remote cluster is reached, for its commands, rsync and file streams. */
    public Transport transport(Cluster cluster) {
        return transports.of(cluster.ssh());
    }

    /** Why only a person's login can reach the cluster now (see {@link Transport#needsLogin()}), else empty. */
    public Optional<NeedsLogin> needsLogin(Cluster cluster) {
        return cluster.remote() ? transport(cluster).needsLogin() : Optional.empty();
    }

    /** Copies a file of the cluster to this host: a copy on a local cluster, a stream over its transport from a remote one. */
    public void fetch(Cluster cluster, String file, Path to, Duration timeout) throws IOException {
        if (!cluster.remote()) {
            Files.copy(Path.of(file), to, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        Transport transport = transport(cluster);
        if (transport.needsLogin().isPresent()) {
            throw transport.needsLogin().get(); // a stream would only fail with ssh's 255: say what to do
        }
        List<String> argv =
                new ArrayList<>(List.of("sh", "-c", "out=$1; shift; exec \"$@\" > \"$out\"", "sh", to.toString()));
        argv.addAll(transport.sshCommand());
        argv.add(transport.destination());
        argv.add("cat -- " + ShellQuote.quote(file));
        CommandResult r = transport.sessionsOf(LOCAL).run(argv, timeout);
        if (!r.succeeded()) {
            throw new IOException("fetching " + file + " from " + cluster.name() + " failed: " + r.summary());
        }
    }

    public boolean contains(String name) {
        return byName.containsKey(name);
    }
}
