package io.automatix.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The real services scripts/provision starts: PostgreSQL, RabbitMQ, OpenSSH on 127.0.0.1:2222 and
 * SLURM. A missing service fails the test with what to run, never skips it.
 */
public final class TestServices {

    public static final String DB_HOST = "127.0.0.1";
    public static final int DB_PORT = 5432;
    public static final String DB_USER = "postgres";
    public static final String DB_PASSWORD = "postgres";
    public static final String AMQP_HOST = "127.0.0.1";
    public static final int AMQP_PORT = 5672;
    public static final int SSH_PORT = 2222;
    /** The unprivileged account scripts/provision creates for SSH logins. */
    public static final String SSH_USER = "automatix-test";
    /** The API token of user 'operator' in test routers (automatix.api.users holds its SHA-256). */
    public static final String API_TOKEN = "test-token";

    /** Role admin: the tests act as the router's first admin, as the bootstrap token does. */
    public static final String API_USERS = "operator:" + io.automatix.api.ApiUsers.sha256(API_TOKEN) + ":admin";

    public static final Path TEST_HOME =
            Path.of(System.getenv().getOrDefault("AUTOMATIX_TEST_HOME", "/var/lib/automatix-test"));
    public static final Path SSH_KEY = TEST_HOME.resolve("ssh/id_ed25519");
    public static final Path SSH_KNOWN_HOSTS = TEST_HOME.resolve("ssh/known_hosts");
    /** The same key in the SSH account's home, for commands that account runs (push-mode rsync). */
    public static final Path SSH_USER_KEY = TEST_HOME.resolve("home/.ssh/id_ed25519");
    /** The project directory (routes/, application.properties). */
    public static final Path PROJECT = Path.of(System.getProperty("user.dir"));

    private TestServices() {}

    public static void require(String what, String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2000);
        } catch (IOException e) {
            throw new AssertionError(
                    what + " is not reachable at " + host + ":" + port + " (" + e.getMessage()
                            + "); run scripts/provision (scripts/test does)",
                    e);
        }
    }

    public static void requireSshKey() {
        if (!Files.isReadable(SSH_KEY) || !Files.isReadable(SSH_KNOWN_HOSTS)) {
            throw new AssertionError("the test SSH key or known_hosts is missing under " + TEST_HOME
                    + "; run scripts/provision (scripts/test does)");
        }
        require("the test sshd", "127.0.0.1", SSH_PORT);
    }

    /**
     * A directory the SSH test account can use: readable by all (an acquisition disk) or writable
     * by all (a cluster scratch), since tests run as another user than the one logging in.
     */
    public static Path sharedDirectory(String prefix, boolean writable) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        Files.setPosixFilePermissions(
                dir, java.nio.file.attribute.PosixFilePermissions.fromString(writable ? "rwxrwxrwx" : "rwxr-xr-x"));
        return dir;
    }

    /**
     * The tests' source and restore roots: this machine's temporary directory, where every test makes
     * its acquisition disks and restore targets (the routers' data directories there stay refused).
     * Remote sources get it through {@link #sshHost}; a test of the roots sets its own.
     */
    public static final java.util.Map<String, String> ROOTS = java.util.Map.of(
            "automatix.sources.local.roots", System.getProperty("java.io.tmpdir"),
            "automatix.archive.restore-roots", System.getProperty("java.io.tmpdir"));

    /** -D settings for a router process on the real PostgreSQL and RabbitMQ (database and vhost of its own). */
    public static java.util.Map<String, String> routerSettings(
            String database, String vhost, String routerId, Path dataDir) {
        java.util.Map<String, String> s = new java.util.HashMap<>();
        s.put("automatix.router-id", routerId);
        s.put("automatix.data-dir", dataDir.toString());
        s.put("automatix.db.url", jdbcUrl(database));
        s.put("automatix.db.user", DB_USER);
        s.put("automatix.db.password", DB_PASSWORD);
        s.put("automatix.amqp.host", AMQP_HOST);
        s.put("automatix.amqp.virtual-host", vhost);
        s.put("automatix.embedded.s3-port", String.valueOf(freePort()));
        s.put("automatix.api.users", API_USERS);
        s.putAll(ROOTS);
        s.put("automatix.allow-root", "true"); // CI runs as root
        return s;
    }

    /**
     * {@code <prefix>.host/port/user/key/known-hosts} for a host reached through the test sshd, added to
     * settings; a source also gets the temporary directory as its roots.
     */
    public static void sshHost(java.util.Map<String, String> settings, String prefix) {
        sshHost(settings, prefix, SSH_PORT, SSH_KNOWN_HOSTS);
    }

    /** The same through another port (a proxy) and known_hosts file. */
    public static void sshHost(java.util.Map<String, String> settings, String prefix, int port, Path knownHosts) {
        settings.put(prefix + ".host", "127.0.0.1");
        settings.put(prefix + ".port", String.valueOf(port));
        settings.put(prefix + ".user", SSH_USER);
        settings.put(prefix + ".key", SSH_KEY.toString());
        settings.put(prefix + ".known-hosts", knownHosts.toString());
        if (prefix.startsWith("automatix.sources.")) {
            settings.put(prefix + ".roots", System.getProperty("java.io.tmpdir"));
        }
    }

    public static String jdbcUrl(String database) {
        return "jdbc:postgresql://" + DB_HOST + ":" + DB_PORT + "/" + database;
    }

    /** A fresh, empty database on the real PostgreSQL; dropped by {@link #dropDatabase}. */
    public static String createDatabase() {
        require("PostgreSQL", DB_HOST, DB_PORT);
        String name =
                "automatix_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), DB_USER, DB_PASSWORD)) {
            c.createStatement().execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new AssertionError("cannot create a test database on PostgreSQL: " + e.getMessage(), e);
        }
        return name;
    }

    public static void dropDatabase(String name) {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), DB_USER, DB_PASSWORD)) {
            c.createStatement().execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new AssertionError("cannot drop test database " + name + ": " + e.getMessage(), e);
        }
    }

    public static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), DB_USER, DB_PASSWORD);
    }

    /** A fresh virtual host on the real RabbitMQ, so tests never see each other's messages. */
    public static String createVirtualHost() {
        require("RabbitMQ", AMQP_HOST, AMQP_PORT);
        String vhost = "automatix-it-" + UUID.randomUUID().toString().substring(0, 8);
        rabbitmqctl("add_vhost", vhost);
        rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
        // the test clusters' publish-only user (scripts/provision makes it): the job-status exchange only
        rabbitmqctl("set_permissions", "-p", vhost, STATUS_USER, "^$", "^automatix\\.job-status$", "^$");
        return vhost;
    }

    /** The broker user the test clusters' jobs push their status as (scripts/provision), and its password. */
    public static final String STATUS_USER = "automatix-status";

    public static final String STATUS_PASSWORD = "status-publish-secret";

    /** A cluster's push-url on this vhost, as its publish-only user. */
    public static String pushUrl(String vhost) {
        return "amqp://" + STATUS_USER + ":" + STATUS_PASSWORD + "@" + AMQP_HOST + ":" + AMQP_PORT + "/" + vhost;
    }

    public static void deleteVirtualHost(String vhost) {
        rabbitmqctl("delete_vhost", vhost);
    }

    public static void rabbitmqctl(String... args) {
        String[] command = new String[args.length + 2];
        command[0] = "rabbitmqctl";
        command[1] = "-q";
        System.arraycopy(args, 0, command, 2, args.length);
        run(command);
    }

    public static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            // read while it runs: a full pipe would block it
            java.util.concurrent.CompletableFuture<byte[]> output =
                    java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                        try {
                            return p.getInputStream().readAllBytes();
                        } catch (IOException e) {
                            return new byte[0];
                        }
                    });
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + String.join(" ", command));
            }
            String out = new String(output.join());
            if (p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " exited " + p.exitValue() + ": " + out);
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command[0] + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
