package io.automatix.ssh;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.camel.support.service.ServiceSupport;
import org.apache.sshd.agent.SshAgent;
import org.apache.sshd.agent.SshAgentFactory;
import org.apache.sshd.agent.SshAgentServer;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.session.ClientConnectionService;
import org.apache.sshd.client.session.ClientConnectionServiceFactory;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.session.ClientUserAuthServiceFactory;
import org.apache.sshd.client.session.forward.ExplicitPortForwardingTracker;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.Service;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.core.CoreModuleProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One long-lived, authenticated SSH connection per host, shared by every command to that host (each
 * command is a channel on it, at most {@code max-sessions} at a time; the rest queue). The host may
 * be an alias of the SSH configuration, reached through its ProxyJump hops. A broken connection is
 * replaced on next use; after a failed connect the host is not tried again until a back-off
 * (doubling, up to a minute) has passed. Each host has its own lock, so a host that does not answer
 * delays no other. Every new connection (each hop too) takes one from the host's
 * {@link ConnectBudget}. Host keys are checked against the known_hosts in force; unknown or changed
 * keys are refused. Failures are {@link SshFailure}s that say what to do.
 */
public final class SshSessions extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(SshSessions.class);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

    private final Duration connectTimeout;
    private final ConnectBudget budget;
    private final Map<SshTarget, Host> hosts = new ConcurrentHashMap<>();
    private final Map<Path, SshConfig> configs = new ConcurrentHashMap<>();
    private SshClient client;

    private record Failure(Instant retryAfter, Duration backoff, IOException cause) {}

    /** One target's connection, its lock (held while connecting) and its channel slots. */
    private static final class Host {
        final Semaphore channels;
        volatile ClientSession session;
        Failure failure;

        Host(SshTarget target) {
            channels = new Semaphore(target.maxSessions(), true);
        }

        ClientSession usable() {
            ClientSession s = session;
            return s != null && s.isOpen() && s.isAuthenticated() ? s : null;
        }
    }

    public SshSessions(Duration connectTimeout) {
        this(connectTimeout, new ConnectBudget(Clock.systemUTC()));
    }

    public SshSessions(Duration connectTimeout, ConnectBudget budget) {
        this.connectTimeout = connectTimeout;
        this.budget = budget;
    }

    @Override
    protected void doStart() {
        client = SshClient.setUpDefaultClient();
        // the router reads the SSH configuration itself (SshConfig), the way ssh(1) does
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.setServerKeyVerifier(new HostKeyCheck());
        client.setAgentFactory(new Agents());
        client.setServiceFactories(List.of(ClientUserAuthServiceFactory.INSTANCE, new KeepAlive()));
        // Nobody answers prompts: methods that need a person only note that the host asked.
        client.setUserAuthFactories(List.of(
                UserAuthPublicKeyFactory.INSTANCE,
                new SecondFactorNotice("keyboard-interactive"),
                new SecondFactorNotice("password")));
        // Small request/response packets: without this, Nagle and delayed ACKs add ~40 ms a command.
        CoreModuleProperties.TCP_NODELAY.set(client, true);
        client.start();
    }

    @Override
    protected void doStop() {
        hosts.values().forEach(h -> {
            if (h.session != null) {
                h.session.close(true);
            }
        });
        hosts.clear();
        if (client != null) {
            client.stop();
        }
    }

    /** A shell whose commands run on the target through the shared connection. */
    public Shell shell(SshTarget target) {
        return new SshShell(this, target);
    }

    /** The route to the target as its SSH configuration gives it (for messages, doctor and health). */
    public SshRoute route(SshTarget target) throws IOException {
        return SshRoute.resolve(target, config(target));
    }

    CommandResult exec(SshTarget target, String command, byte[] stdin, Duration timeout, Consumer<String> stdoutLines)
            throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Host host = hosts.computeIfAbsent(target, Host::new);
        ClientSession session = session(target, host);
        // at most max-sessions channels on the connection; the wait counts against the command's time
        try {
            if (!host.channels.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                return new CommandResult(
                        -1,
                        "",
                        "no free channel on the connection to " + target + " within " + timeout + " ("
                                + target.maxSessions() + " in use, max-sessions)",
                        true);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for a channel to " + target, e);
        }
        try {
            Duration left = Duration.ofNanos(Math.max(deadline - System.nanoTime(), 1_000_000));
            try {
                return execOn(session, command, stdin, left, stdoutLines);
            } catch (IOException e) {
                if (session.isOpen()) {
                    throw e;
                }
                // the connection died under us: one more try on a fresh one
                return execOn(session(target, host), command, stdin, left, stdoutLines);
            }
        } finally {
            host.channels.release();
        }
    }

    private CommandResult execOn(
            ClientSession session, String command, byte[] stdin, Duration timeout, Consumer<String> stdoutLines)
            throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (long pause = 20; ; pause = Math.min(pause * 2, 500)) {
            try (ChannelExec channel = session.createExecChannel(command)) {
                if (stdin != null) {
                    channel.setIn(new ByteArrayInputStream(stdin));
                }
                LineCapture out = new LineCapture(stdoutLines);
                LineCapture err = new LineCapture(null);
                channel.setOut(out);
                channel.setErr(err);
                try {
                    channel.open().verify(connectTimeout);
                } catch (IOException e) {
                    // sshd frees a channel slot (MaxSessions) a moment after the channel closed: wait for it
                    if (!(e.getCause() instanceof SshChannelOpenException)
                            || !session.isOpen()
                            || System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pause) > deadline) {
                        throw e;
                    }
                    sleep(pause);
                    continue;
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                Set<ClientChannelEvent> events =
                        channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Math.max(left, 1));
                if (events.contains(ClientChannelEvent.TIMEOUT)) {
                    channel.close(true);
                    return new CommandResult(-1, out.text(), err.text(), true);
                }
                Integer status = channel.getExitStatus();
                return new CommandResult(status == null ? -1 : status, out.text(), err.text(), false);
            }
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for a channel", e);
        }
    }

    private ClientSession session(SshTarget target, Host host) throws IOException {
        ClientSession session = host.usable();
        if (session != null) {
            return session;
        }
        synchronized (host) { // this target only: connects to other hosts go on
            session = host.usable();
            if (session != null) {
                return session;
            }
            Failure failure = host.failure;
            if (failure != null && Instant.now().isBefore(failure.retryAfter())) {
                IOException cause = failure.cause();
                String again = " (not tried again before " + failure.retryAfter() + ")";
                throw cause instanceof SshFailure f
                        ? new SshFailure(target, f.problem() + again, f.fix(), f)
                        : new IOException(
                                "SSH to " + target + " unavailable" + again + ": " + cause.getMessage(), cause);
            }
            try {
                session = connect(target);
            } catch (IOException e) {
                Duration backoff = failure == null
                        ? Duration.ofSeconds(1)
                        : min(failure.backoff().multipliedBy(2), MAX_BACKOFF);
                host.failure = new Failure(Instant.now().plus(backoff), backoff, e);
                if (failure == null
                        || !String.valueOf(failure.cause().getMessage()).equals(e.getMessage())) {
                    // once per new reason, not at every retry: the message says what to do
                    LOG.warn("SSH to {} failed: {}", target, e.getMessage());
                }
                if (e instanceof SshFailure) {
                    throw e;
                }
                throw new IOException("SSH to " + target + " failed: " + e.getMessage(), e);
            }
            if (failure != null) {
                LOG.info("SSH to {} is back", target);
            }
            host.failure = null;
            host.session = session;
            return session;
        }
    }

    /** Connects hop by hop: each further hop through a local forward over the connection before it. */
    private ClientSession connect(SshTarget target) throws IOException {
        SshRoute route = route(target);
        List<List<KeyPair>> keys = new ArrayList<>();
        Instant now = Instant.now();
        for (SshRoute.Hop hop : route.hops()) {
            keys.add(LoginKeys.load(target, hop, now));
        }
        checkAgent(target);
        ClientSession previous = null;
        try {
            for (int i = 0; i < route.hops().size(); i++) {
                SshRoute.Hop hop = route.hops().get(i);
                budget.take(hopTarget(target, hop));
                InetSocketAddress address;
                if (previous == null) {
                    address = new InetSocketAddress(hop.hostName(), hop.port());
                } else {
                    ExplicitPortForwardingTracker forward = previous.createLocalPortForwardingTracker(
                            SshdSocketAddress.LOCALHOST_ADDRESS, new SshdSocketAddress(hop.hostName(), hop.port()));
                    address = forward.getBoundAddress().toInetSocketAddress();
                }
                ClientSession session = login(target, route, i, address, keys.get(i));
                if (previous != null) {
                    ClientSession before = previous;
                    session.addCloseFutureListener(f -> before.close(true));
                    before.addCloseFutureListener(f -> session.close(true));
                }
                previous = session;
            }
            return previous;
        } catch (IOException | RuntimeException e) {
            if (previous != null) {
                previous.close(true);
            }
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
    }

    private ClientSession login(
            SshTarget target, SshRoute route, int index, InetSocketAddress address, List<KeyPair> keys)
            throws IOException {
        SshRoute.Hop hop = route.hops().get(index);
        String where = route.describe(index);
        LoginAttempt attempt = new LoginAttempt(hop, target.agent());
        ClientSession session;
        try {
            session = client.connect(hop.user(), address, attempt.context())
                    .verify(connectTimeout)
                    .getSession();
        } catch (IOException e) {
            throw new SshFailure(
                    target,
                    "cannot connect to " + where + ": " + e.getMessage(),
                    index < route.hops().size() - 1 || route.hops().size() == 1
                            ? "check that " + hop.hostName() + " port " + hop.port()
                                    + " is reachable from this machine (network, firewall, VPN)"
                            : "check that " + hop.hostName() + " port " + hop.port() + " is reachable from "
                                    + route.hops().get(index - 1).describe(),
                    e);
        }
        try {
            session.setKeyIdentityProvider(KeyIdentityProvider.wrapKeyPairs(keys));
            session.auth().verify(connectTimeout);
            return session;
        } catch (IOException | RuntimeException e) {
            session.close(true);
            throw loginFailure(target, route, index, attempt, session, e);
        }
    }

    private SshFailure loginFailure(
            SshTarget target, SshRoute route, int index, LoginAttempt attempt, ClientSession session, Exception e) {
        SshRoute.Hop hop = route.hops().get(index);
        String where = route.describe(index);
        HostKeyCheck.Problem hostKey = attempt.hostKeyProblem;
        if (hostKey != null) {
            return new SshFailure(target, hostKey.problem(where), hostKey.fix(), e);
        }
        String asked = attempt.askedFor;
        if (asked != null) {
            return new SshFailure(
                    target,
                    where + " asks for a second factor (" + asked + ") after the key, which the mina transport "
                            + "cannot answer unattended",
                    "set transport=openssh and login=interactive, then run `automatix login " + target.name() + "`",
                    e);
        }
        if (!session.isOpen() && session.getServerKey() == null) {
            if (index > 0) {
                // a hop behind another is reached through a forward the one before opens for us
                SshRoute.Hop before = route.hops().get(index - 1);
                return new SshFailure(
                        target,
                        "cannot reach " + where + " through " + before.describe() + " (the SSH handshake failed: "
                                + e.getMessage() + ")",
                        "check that " + before.hostName() + " can reach " + hop.hostName() + " port " + hop.port()
                                + " (ssh " + before.name() + " nc -zv " + hop.hostName() + " " + hop.port()
                                + "), and the HostName and Port of " + hop.name() + " in the SSH configuration",
                        e);
            }
            return new SshFailure(
                    target,
                    "the SSH handshake with " + where + " failed: " + e.getMessage(),
                    "check that " + hop.hostName() + " port " + hop.port() + " is an SSH server",
                    e);
        }
        List<String> offered = new ArrayList<>();
        hop.identityFiles().stream().filter(Files::isRegularFile).forEach(f -> offered.add(f.toString()));
        if (target.agent() != null) {
            offered.add("the keys of the ssh-agent at " + target.agent());
        }
        return new SshFailure(
                target,
                where + " refused the login of " + hop.user() + " with " + (offered.isEmpty() ? "no key" : offered)
                        + ": " + e.getMessage(),
                "add the public key to ~/.ssh/authorized_keys of " + hop.user() + " on " + hop.hostName()
                        + " (or have the site sign it), or set 'key'/'user' to ones the host accepts",
                e);
    }

    /** An agent that is configured must hold a key: said plainly, before a connection is tried. */
    private static void checkAgent(SshTarget target) throws SshFailure {
        if (target.agent() == null) {
            return;
        }
        try (AgentSocket agent = new AgentSocket(target.agent())) {
            if (agent.keys().isEmpty()) {
                throw new SshFailure(
                        target,
                        "the ssh-agent at " + target.agent() + " (setting 'agent') holds no keys",
                        "add the key to the agent (SSH_AUTH_SOCK="
                                + ShellQuote.quote(target.agent().toString())
                                + " ssh-add <key>), or set 'key' to a key file");
            }
        } catch (SshFailure e) {
            throw e;
        } catch (IOException e) {
            throw new SshFailure(
                    target,
                    e.getMessage(),
                    "start an ssh-agent there (ssh-agent -a "
                            + ShellQuote.quote(target.agent().toString())
                            + ") and add the key with ssh-add, or correct 'agent'",
                    e);
        }
    }

    private SshConfig config(SshTarget target) throws IOException {
        Path file = target.sshConfig();
        if (file == null) {
            return SshConfig.none();
        }
        try {
            return configs.computeIfAbsent(file, f -> {
                try {
                    return SshConfig.read(f);
                } catch (IOException e) {
                    throw new ConfigError(e);
                }
            });
        } catch (ConfigError e) {
            throw new SshFailure(
                    target,
                    "cannot read the SSH configuration " + file + " (setting 'ssh-config'): "
                            + e.getCause().getMessage(),
                    "correct the file (ssh -G -F " + ShellQuote.quote(file.toString()) + " " + target.host()
                            + " shows what ssh makes of it), or set 'ssh-config' to another",
                    e.getCause());
        }
    }

    /** The budget is per host: a hop is a host of its own. */
    private static SshTarget hopTarget(SshTarget target, SshRoute.Hop hop) {
        return new SshTarget(
                target.name(),
                hop.name(),
                hop.port(),
                hop.user(),
                target.keyFile(),
                target.knownHosts(),
                target.sshConfig(),
                target.transport(),
                target.passphraseFile(),
                target.passphraseEnv(),
                target.agent(),
                target.login(),
                target.maxSessions(),
                target.connectsPerMinute());
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static final class ConfigError extends RuntimeException {
        ConfigError(IOException cause) {
            super(cause);
        }
    }

    /** The heartbeat the connection to the target runs (ServerAliveInterval), if connected. */
    Duration heartbeat(SshTarget target) {
        Host host = hosts.get(target);
        ClientSession session = host == null ? null : host.usable();
        ClientConnectionService service = session == null ? null : session.getService(ClientConnectionService.class);
        return service == null ? null : CoreModuleProperties.HEARTBEAT_INTERVAL.getRequired(service);
    }

    /**
     * ServerAliveInterval and ServerAliveCountMax of the hop, as the session's keep-alives: they find a
     * dead connection before a command has to. MINA reads them when it creates the connection
     * service, with the session, so they are set here rather than on the session afterwards.
     */
    private static final class KeepAlive extends ClientConnectionServiceFactory {
        @Override
        public Service create(Session session) throws IOException {
            LoginAttempt attempt = session instanceof ClientSession c ? LoginAttempt.of(c) : null;
            if (attempt != null) {
                CoreModuleProperties.HEARTBEAT_INTERVAL.set(session, attempt.hop.aliveInterval());
                CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(session, attempt.hop.aliveCountMax());
            }
            return super.create(session);
        }
    }

    /** Client-side agents only, one per authentication, at the socket the hop's target names. */
    private static final class Agents implements SshAgentFactory {

        @Override
        public List<ChannelFactory> getChannelForwardingFactories(FactoryManager manager) {
            return List.of();
        }

        @Override
        public SshAgent createClient(Session session, FactoryManager manager) {
            LoginAttempt attempt = session instanceof ClientSession c ? LoginAttempt.of(c) : null;
            return attempt == null || attempt.agent == null ? null : new AgentSocket(attempt.agent);
        }

        @Override
        public SshAgentServer createServer(ConnectionService service) {
            return null;
        }
    }
}
