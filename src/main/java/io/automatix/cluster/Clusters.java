package io.automatix.cluster;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import io.automatix.config.Settings;
import io.automatix.scheduler.BatchSystems;
import io.automatix.ssh.HostSettings;
import io.automatix.ssh.LocalShell;
import io.automatix.ssh.Shell;
import io.automatix.ssh.SshSessions;
import io.automatix.ssh.SshTarget;

/**
 * The configured clusters, read from {@code automatix.clusters.<name>.<key>} properties, and the
 * shell each is reached by.
 */
public final class Clusters {

    private static final String PREFIX = "automatix.clusters.";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]*");

    private static final Set<String> KEYS = Set.of(
            "scheduler",
            "host",
            "port",
            "user",
            "key",
            "known-hosts",
            "scratch",
            "max-jobs",
            "push-url",
            "supervision-level");

    private static final Shell LOCAL = new LocalShell();

    private final Map<String, Cluster> byName;
    private final SshSessions ssh;

    private Clusters(Map<String, Cluster> byName, SshSessions ssh) {
        this.byName = byName;
        this.ssh = ssh;
    }

    public static Clusters from(Settings settings, Path dataDirectory, SshSessions ssh) {
        return from(settings.withPrefix(PREFIX), dataDirectory, ssh);
    }

    /**
     * Builds the clusters from properties. The {@code local} cluster (jobs as local processes,
     * scratch under the data directory) exists unless configured otherwise.
     */
    public static Clusters from(Properties properties, Path dataDirectory, SshSessions ssh) {
        Map<String, Map<String, String>> settings = HostSettings.byName(properties, PREFIX, NAME, KEYS);
        settings.putIfAbsent("local", Map.of());
        Map<String, Cluster> clusters = new TreeMap<>();
        settings.forEach((name, s) -> clusters.put(name, cluster(name, s, dataDirectory)));
        return new Clusters(clusters, ssh);
    }

    private static Cluster cluster(String name, Map<String, String> s, Path dataDirectory) {
        SshTarget ssh = SshTarget.fromSettings(s);
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
        return new Cluster(
                name,
                scheduler,
                ssh,
                scratch,
                Integer.parseInt(maxJobs),
                s.get("push-url"),
                level == null ? null : Integer.valueOf(level));
    }

    public Collection<Cluster> all() {
        return byName.values();
    }

    public Optional<Cluster> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Where the cluster's commands run: over its shared SSH connection, or on this host. */
    public Shell shell(Cluster cluster) {
        return cluster.remote() ? ssh.shell(cluster.ssh()) : LOCAL;
    }

    public boolean contains(String name) {
        return byName.containsKey(name);
    }
}
