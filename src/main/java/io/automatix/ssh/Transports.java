package io.automatix.ssh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;

/** The transports of every configured host: one service, started and stopped with the router. */
public final class Transports extends ServiceSupport {

    private final SshSessions mina;
    private final Duration connectTimeout;
    private final Path dataDirectory;
    private final ConnectBudget budget;
    private final Clock clock;
    /** One master (and its state: up, needs a login) per target. */
    private final Map<SshTarget, OpenSshTransport> openssh = new ConcurrentHashMap<>();

    public Transports(Duration connectTimeout) {
        this(
                connectTimeout,
                Path.of(System.getProperty("java.io.tmpdir"), "automatix-" + System.getProperty("user.name")),
                Clock.systemUTC());
    }

    /** @param dataDirectory the router's: the openssh masters' sockets and logs are under its ssh/ */
    public Transports(Duration connectTimeout, Path dataDirectory, Clock clock) {
        this.connectTimeout = connectTimeout;
        this.dataDirectory = dataDirectory;
        this.clock = clock;
        this.budget = new ConnectBudget(clock);
        this.mina = new SshSessions(connectTimeout, budget);
    }

    /** New connections per host per minute, shared by every transport. */
    public ConnectBudget budget() {
        return budget;
    }

    /** The router's own MINA SSHD connections. */
    SshSessions mina() {
        return mina;
    }

    /** How the router reaches the target, by its {@code transport} setting. */
    public Transport of(SshTarget target) {
        return switch (target.transport()) {
            case MINA -> new MinaTransport(mina, target);
            case OPENSSH -> openssh(target);
        };
    }

    /** The target's openssh master (one per target, kept for the router's life). */
    public OpenSshTransport openssh(SshTarget target) {
        return openssh.computeIfAbsent(target, t -> {
            try {
                return new OpenSshTransport(t, dataDirectory, budget, connectTimeout, clock);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot make " + dataDirectory.resolve("ssh") + " for ssh sockets", e);
            }
        });
    }

    /** Starts a person's login to the target, relayed by the router (one connect from the budget). */
    public LoginRelay relayLogin(SshTarget target) throws IOException {
        return LoginRelay.start(openssh(target), budget);
    }

    /** The openssh masters made so far. */
    public Collection<OpenSshTransport> masters() {
        return openssh.values();
    }

    @Override
    protected void doStart() {
        ServiceHelper.startService(mina);
    }

    @Override
    protected void doStop() {
        ServiceHelper.stopService(mina);
        // a batch master is the router's own; an interactive one stays up, so a restart needs no new login
        openssh.values().stream().filter(t -> !t.interactive()).forEach(OpenSshTransport::close);
    }
}
