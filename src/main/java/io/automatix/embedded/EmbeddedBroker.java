package io.automatix.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.apache.camel.support.service.ServiceSupport;
import org.apache.qpid.server.SystemLauncher;

/**
 * An AMQP 0-9-1 broker (Qpid Broker-J) run by the router itself. Its queues live in memory:
 * messages are signals, the database keeps the state, and every flow sweeps the database too.
 */
public final class EmbeddedBroker extends ServiceSupport {

    private final Path workDirectory;
    private final int port;
    private final String user;
    private final String password;
    private SystemLauncher launcher;

    public EmbeddedBroker(Path workDirectory, int port, String user, String password) {
        this.workDirectory = workDirectory.toAbsolutePath();
        this.port = port;
        this.user = user;
        this.password = password;
    }

    @Override
    protected void doStart() throws Exception {
        Files.createDirectories(workDirectory);
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("type", "Memory");
        attributes.put(
                "initialConfigurationLocation",
                EmbeddedBroker.class.getResource("qpid-config.json").toExternalForm());
        attributes.put("startupLoggedToSystemOut", false);
        attributes.put(
                "context",
                Map.of(
                        "qpid.amqp_port",
                        String.valueOf(port),
                        "qpid.work_dir",
                        workDirectory.toString(),
                        "broker.name",
                        "automatix",
                        "automatix.broker.user",
                        user,
                        "automatix.broker.password",
                        password));
        launcher = new SystemLauncher();
        launcher.startup(attributes);
    }

    @Override
    protected void doStop() {
        if (launcher != null) {
            launcher.shutdown();
            launcher = null;
        }
    }

    public String describe() {
        return "embedded AMQP 0-9-1 broker (Qpid Broker-J, in memory) on 127.0.0.1:" + port;
    }
}
