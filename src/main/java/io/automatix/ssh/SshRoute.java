package io.automatix.ssh;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The hosts a connection to a target passes through, each resolved as ssh(1) resolves it from the SSH
 * configuration: the ProxyJump hops in order, then the target itself. As with {@code ssh -J}, the
 * first hop is reached by its own configuration (its own ProxyJump too); later hops only through the
 * ones before. Settings of the target (port, user, key) apply to the target alone, as {@code -p},
 * {@code -l} and {@code -i} do; an explicit known-hosts file, the agent and the passphrase serve
 * every hop.
 */
public record SshRoute(List<Hop> hops) {

    private static final int MAX_HOPS = 10;
    private static final Duration DEFAULT_ALIVE_INTERVAL = Duration.ofSeconds(30);
    private static final List<String> DEFAULT_KEYS = List.of("id_ed25519", "id_ecdsa", "id_rsa");

    /**
     * One host on the route.
     *
     * @param name           the host as written (alias, or the name in ProxyJump)
     * @param identityFiles  the keys to offer; {@code explicitKey} when one comes from the settings
     * @param aliveInterval  ServerAliveInterval (zero: none)
     * @param aliveCountMax  ServerAliveCountMax
     */
    public record Hop(
            String name,
            String hostName,
            int port,
            String user,
            List<Path> identityFiles,
            boolean explicitKey,
            List<Path> certificateFiles,
            Path knownHosts,
            Duration aliveInterval,
            int aliveCountMax) {

        /** {@code amx-bastion (10.77.0.2:22)}. */
        public String describe() {
            return (name.equals(hostName) ? hostName : name + " (" + hostName) + ":" + port
                    + (name.equals(hostName) ? "" : ")");
        }

        /** How known_hosts names the host: {@code name}, or {@code [name]:port} off port 22. */
        public String knownHostsName() {
            return port == 22 ? hostName : "[" + hostName + "]:" + port;
        }
    }

    /** The last hop: the target itself. */
    public Hop target() {
        return hops.get(hops.size() - 1);
    }

    /** How a hop is named in messages: {@code hop 1 of 3, amx-bastion (10.77.0.2:22)}. */
    public String describe(int index) {
        Hop hop = hops.get(index);
        if (hops.size() == 1) {
            return hop.describe();
        }
        return index == hops.size() - 1
                ? "target " + hop.describe() + " (after " + (hops.size() - 1) + " ProxyJump hop"
                        + (hops.size() > 2 ? "s" : "") + ")"
                : "ProxyJump hop " + (index + 1) + " of " + (hops.size() - 1) + ", " + hop.describe();
    }

    /** Resolves the target through its SSH configuration (none: the target's settings alone). */
    public static SshRoute resolve(SshTarget target, SshConfig config) throws IOException {
        Path knownHosts = explicitKnownHosts(target);
        Map<String, List<String>> settings = config.settings(target.host());
        Hop last = hop(target.host(), target.port(), target.user(), target.keyFile(), knownHosts, settings);
        List<Hop> hops = new ArrayList<>(jumps(first(settings, "proxyjump"), knownHosts, config, 0));
        hops.add(last);
        return new SshRoute(List.copyOf(hops));
    }

    private static List<Hop> jumps(String proxyJump, Path knownHosts, SshConfig config, int depth) throws IOException {
        List<Hop> hops = new ArrayList<>();
        if (proxyJump == null || proxyJump.equalsIgnoreCase("none")) {
            return hops;
        }
        if (depth > MAX_HOPS) {
            throw new IOException("ProxyJump chain longer than " + MAX_HOPS + " hops (a loop?) in " + config.file());
        }
        String[] names = proxyJump.split(",");
        for (int i = 0; i < names.length; i++) {
            URI uri = URI.create("ssh://" + names[i].strip().replaceFirst("^ssh://", ""));
            if (uri.getHost() == null) {
                throw new IOException("bad ProxyJump hop '" + names[i] + "' in " + config.file());
            }
            Map<String, List<String>> settings = config.settings(uri.getHost());
            if (i == 0) {
                // the first hop is reached as ssh(1) would reach it on its own
                hops.addAll(jumps(first(settings, "proxyjump"), knownHosts, config, depth + 1));
            }
            hops.add(hop(
                    uri.getHost(),
                    uri.getPort() > 0 ? uri.getPort() : null,
                    uri.getUserInfo(),
                    null,
                    knownHosts,
                    settings));
        }
        if (hops.size() > MAX_HOPS) {
            throw new IOException("ProxyJump chain longer than " + MAX_HOPS + " hops in " + config.file());
        }
        return hops;
    }

    private static Hop hop(
            String name, Integer port, String user, Path key, Path knownHosts, Map<String, List<String>> settings)
            throws IOException {
        String hostName = first(settings, "hostname");
        hostName = hostName == null ? name : hostName.replace("%h", name).replace("%%", "%");
        int p = port != null ? port : number(first(settings, "port"), 22, name);
        String u = user != null ? user : first(settings, "user");
        if (u == null) {
            u = System.getProperty("user.name");
        }
        List<Path> identities = new ArrayList<>();
        if (key != null) {
            identities.add(key);
        }
        for (String file : settings.getOrDefault("identityfile", List.of())) {
            if (!file.equalsIgnoreCase("none")) {
                identities.add(Path.of(expand(file, hostName, p, u, name)));
            }
        }
        if (identities.isEmpty()) {
            // ssh(1)'s defaults, those that exist
            Path ssh = Path.of(System.getProperty("user.home"), ".ssh");
            for (String file : DEFAULT_KEYS) {
                if (Files.isRegularFile(ssh.resolve(file))) {
                    identities.add(ssh.resolve(file));
                }
            }
        }
        List<Path> certificates = new ArrayList<>();
        for (String file : settings.getOrDefault("certificatefile", List.of())) {
            certificates.add(Path.of(expand(file, hostName, p, u, name)));
        }
        Path known = knownHosts;
        if (known == null) {
            List<String> files = settings.get("userknownhostsfile");
            known = files == null || files.isEmpty()
                    ? defaultKnownHosts()
                    : Path.of(expand(files.get(0), hostName, p, u, name));
        }
        String interval = first(settings, "serveraliveinterval");
        Duration alive = interval == null
                ? DEFAULT_ALIVE_INTERVAL
                : Duration.ofSeconds(number(interval, 0, "ServerAliveInterval of " + name));
        int countMax = number(first(settings, "serveralivecountmax"), 3, name);
        return new Hop(
                name,
                hostName,
                p,
                u,
                List.copyOf(identities),
                key != null,
                List.copyOf(certificates),
                known,
                alive,
                countMax);
    }

    /**
     * The known_hosts file the settings name: {@code known-hosts} given explicitly. SshTarget fills in
     * ~/.ssh/known_hosts when none is given, so that one counts as not given and the configuration's
     * UserKnownHostsFile may say otherwise, as it would for ssh(1).
     */
    static Path explicitKnownHosts(SshTarget target) {
        return target.knownHosts() == null || target.knownHosts().equals(defaultKnownHosts())
                ? null
                : target.knownHosts();
    }

    private static Path defaultKnownHosts() {
        return Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
    }

    /** ssh_config(5) tokens in file names: ~, %d, %u, %h, %r, %p, %n, %%. */
    static String expand(String file, String hostName, int port, String user, String name) {
        String home = System.getProperty("user.home");
        StringBuilder out = new StringBuilder();
        String s = SshConfig.tilde(file);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '%' || i + 1 == s.length()) {
                out.append(c);
                continue;
            }
            char t = s.charAt(++i);
            out.append(
                    switch (t) {
                        case 'd' -> home;
                        case 'u' -> System.getProperty("user.name");
                        case 'h' -> hostName;
                        case 'r' -> user;
                        case 'p' -> String.valueOf(port);
                        case 'n' -> name;
                        case '%' -> "%";
                        default -> "%" + t;
                    });
        }
        return out.toString();
    }

    private static String first(Map<String, List<String>> settings, String keyword) {
        List<String> args = settings.get(keyword);
        return args == null || args.isEmpty() ? null : String.join(" ", args);
    }

    private static int number(String value, int fallback, String what) throws IOException {
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IOException("bad number '" + value + "' in the SSH configuration for " + what);
        }
    }
}
