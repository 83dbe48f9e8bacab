package io.automatix.ssh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A host the router reaches over SSH, as one configured cluster or source host describes it. The
 * host may be an alias of the SSH configuration file ({@code ssh-config}, default
 * {@code ~/.ssh/config} when it exists), which then supplies what is not set here (HostName, User,
 * Port, IdentityFile, ProxyJump, ServerAliveInterval), the same way for commands and for rsync.
 *
 * @param name              the cluster or source name, for messages
 * @param port              null: from the SSH configuration, else 22
 * @param user              null: from the SSH configuration, else this process's user
 * @param keyFile           null: from the SSH configuration, else {@code ~/.ssh/id_ed25519}
 * @param sshConfig         null: no SSH configuration file
 * @param passphraseFile    a file holding the key's passphrase (null: none)
 * @param passphraseEnv     an environment variable holding the key's passphrase (null: none)
 * @param agent             the ssh-agent socket to take keys from (null: no agent)
 * @param login             {@code batch}: the router authenticates by itself; {@code interactive}:
 *                          a person opens the connection with {@code automatix login} (two factors)
 * @param maxSessions       channels at most on one connection (the host's sshd MaxSessions)
 * @param connectsPerMinute new connections at most to the host per minute
 */
public record SshTarget(
        String name,
        String host,
        Integer port,
        String user,
        Path keyFile,
        Path knownHosts,
        Path sshConfig,
        Transport.Kind transport,
        Path passphraseFile,
        String passphraseEnv,
        Path agent,
        String login,
        int maxSessions,
        int connectsPerMinute) {

    /** The keys a configured host may set (beside those of its own kind). */
    public static final Set<String> KEYS = Set.of(
            "host",
            "port",
            "user",
            "key",
            "known-hosts",
            "ssh-config",
            "transport",
            "key-passphrase-file",
            "key-passphrase-env",
            "agent",
            "login",
            "max-sessions",
            "connects-per-minute");

    /**
     * From the keys of one configured host ({@code automatix.clusters.<name>.*}, {@code
     * automatix.sources.<name>.*}); null when it has no host (it is this machine).
     *
     * @param prefix the settings prefix with the name, for messages ({@code automatix.clusters.brown.})
     */
    public static SshTarget fromSettings(String name, String prefix, Map<String, String> settings) {
        String host = settings.get("host");
        if (host == null || host.isEmpty()) {
            return null;
        }
        String home = System.getProperty("user.home");
        Path defaultConfig = Path.of(home, ".ssh", "config");
        String config = settings.get("ssh-config");
        String agent = settings.get("agent");
        return new SshTarget(
                name,
                host,
                number(prefix, "port", settings.get("port"), null, 65535),
                settings.get("user"),
                path(settings.get("key")),
                Path.of(settings.getOrDefault("known-hosts", home + "/.ssh/known_hosts")),
                config != null ? path(config) : Files.isRegularFile(defaultConfig) ? defaultConfig : null,
                Transport.Kind.of(prefix + "transport", settings.getOrDefault("transport", "mina")),
                path(settings.get("key-passphrase-file")),
                settings.get("key-passphrase-env"),
                agent == null ? null : Path.of(agent.equals("SSH_AUTH_SOCK") ? agentFromEnvironment(prefix) : agent),
                oneOf(prefix, "login", settings.getOrDefault("login", "batch"), Set.of("batch", "interactive")),
                number(prefix, "max-sessions", settings.get("max-sessions"), 10, 1000),
                number(prefix, "connects-per-minute", settings.get("connects-per-minute"), 6, 6000));
    }

    /** The user to log in as: configured, else this process's user (the SSH configuration may still say otherwise). */
    public String userOrDefault() {
        return user != null ? user : System.getProperty("user.name");
    }

    public int portOrDefault() {
        return port != null ? port : 22;
    }

    @Override
    public String toString() {
        return (user == null ? "" : user + "@") + host + (port == null ? "" : ":" + port);
    }

    private static Path path(String value) {
        return value == null || value.isBlank() ? null : Path.of(value);
    }

    private static String agentFromEnvironment(String prefix) {
        String socket = System.getenv("SSH_AUTH_SOCK");
        if (socket == null || socket.isBlank()) {
            throw new IllegalArgumentException("bad setting '" + prefix
                    + "agent': SSH_AUTH_SOCK is not set in the router's environment; start the router where "
                    + "an ssh-agent runs, or give the agent's socket path");
        }
        return socket;
    }

    private static Integer number(String prefix, String key, String value, Integer fallback, int max) {
        if (value == null) {
            return fallback;
        }
        if (!value.matches("[1-9][0-9]{0,5}") || Integer.parseInt(value) > max) {
            throw new IllegalArgumentException(
                    "bad setting '" + prefix + key + "': '" + value + "' is not a number from 1 to " + max);
        }
        return Integer.valueOf(value);
    }

    private static String oneOf(String prefix, String key, String value, Set<String> allowed) {
        String v = value.toLowerCase(Locale.ROOT);
        if (!allowed.contains(v)) {
            throw new IllegalArgumentException(
                    "bad setting '" + prefix + key + "': '" + value + "' is not one of " + allowed);
        }
        return v;
    }
}
