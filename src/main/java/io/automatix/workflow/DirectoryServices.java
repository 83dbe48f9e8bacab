package io.automatix.workflow;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.automatix.cluster.Cluster;
import io.automatix.ssh.CommandResult;
import io.automatix.ssh.Shell;

/**
 * The built-in provider of a session's services, whatever their type: a namespace directory on the
 * session's cluster, created at start and removed at stop. Its connection information is the host
 * and path (and the mountpoint and flavor the WDF asked for, recorded for the user).
 */
final class DirectoryServices {

    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

    private final Duration timeout;

    DirectoryServices(Duration timeout) {
        this.timeout = timeout;
    }

    /** The namespace's directory name: the WDF's namespace, or the service's name without one. */
    static String namespace(SessionStore.ServiceRow service) {
        String ns = service.namespace() == null || service.namespace().isBlank() ? service.name() : service.namespace();
        if (!NAMESPACE.matcher(ns).matches()) {
            throw new IllegalArgumentException("service " + service.name() + ": namespace '" + ns
                    + "' is not a valid name (letters, digits, . _ -)");
        }
        return ns;
    }

    Map<String, Object> allocate(
            Shell shell, Cluster cluster, Session session, SessionStore.ServiceRow service, String mountpoint)
            throws IOException {
        String dir = SessionFiles.serviceDirectory(cluster, session.id(), namespace(service));
        check(shell.run(List.of("mkdir", "-p", "--", dir), timeout), "creating " + dir);
        Map<String, Object> connection = new LinkedHashMap<>();
        connection.put("provider", "directory");
        connection.put("host", cluster.remote() ? cluster.ssh().host() : "localhost");
        connection.put("path", dir);
        if (mountpoint != null) {
            connection.put("mountpoint", mountpoint);
        }
        if (service.flavor() != null) {
            connection.put("flavor", service.flavor());
        }
        return connection;
    }

    void release(Shell shell, Cluster cluster, Session session, SessionStore.ServiceRow service) throws IOException {
        String dir = SessionFiles.serviceDirectory(cluster, session.id(), namespace(service));
        check(shell.run(List.of("rm", "-rf", "--", dir), timeout), "removing " + dir);
    }

    private static void check(CommandResult r, String what) throws IOException {
        if (!r.succeeded()) {
            throw new IOException(what + " failed: " + r.summary());
        }
    }
}
