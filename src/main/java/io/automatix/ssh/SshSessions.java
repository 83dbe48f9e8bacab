package io.automatix.ssh;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.apache.camel.support.service.ServiceSupport;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.core.CoreModuleProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One long-lived, authenticated SSH connection per host, shared by every command to that host (each
 * command is a channel on it). A broken connection is replaced on next use; after a failed connect
 * the host is not tried again until a back-off (doubling, up to a minute) has passed. Host keys are
 * checked against the target's known_hosts; unknown or changed keys are refused.
 */
public final class SshSessions extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(SshSessions.class);
    private static final AttributeRepository.AttributeKey<SshTarget> TARGET = new AttributeRepository.AttributeKey<>();
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

    private final Duration connectTimeout;
    private final Map<SshTarget, ClientSession> sessions = new ConcurrentHashMap<>();
    private final Map<SshTarget, Failure> failures = new ConcurrentHashMap<>();
    private final Map<Path, KnownHostsServerKeyVerifier> verifiers = new ConcurrentHashMap<>();
    private SshClient client;

    private record Failure(Instant retryAfter, Duration backoff, String reason) {}

    public SshSessions(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    @Override
    protected void doStart() {
        client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier((session, remote, key) -> {
            SshTarget target = session.getConnectionContext() == null
                    ? null
                    : session.getConnectionContext().getAttribute(TARGET);
            return target != null
                    && verifiers
                            .computeIfAbsent(
                                    target.knownHosts(),
                                    file -> new KnownHostsServerKeyVerifier(RejectAllServerKeyVerifier.INSTANCE, file))
                            .verifyServerKey(session, remote, key);
        });
        // Keep-alives find a dead connection before a command has to.
        CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, Duration.ofSeconds(30));
        // Small request/response packets: without this, Nagle and delayed ACKs add ~40 ms a command.
        CoreModuleProperties.TCP_NODELAY.set(client, true);
        client.start();
    }

    @Override
    protected void doStop() {
        sessions.values().forEach(s -> s.close(true));
        sessions.clear();
        if (client != null) {
            client.stop();
        }
    }

    /** A shell whose commands run on the target through the shared connection. */
    public Shell shell(SshTarget target) {
        return new SshShell(this, target);
    }

    CommandResult exec(SshTarget target, String command, byte[] stdin, Duration timeout, Consumer<String> stdoutLines)
            throws IOException {
        ClientSession session = session(target);
        try {
            return execOn(session, command, stdin, timeout, stdoutLines);
        } catch (IOException e) {
            if (session.isOpen()) {
                throw e;
            }
            // the connection died under us: one more try on a fresh one
            sessions.remove(target, session);
            return execOn(session(target), command, stdin, timeout, stdoutLines);
        }
    }

    private CommandResult execOn(
            ClientSession session, String command, byte[] stdin, Duration timeout, Consumer<String> stdoutLines)
            throws IOException {
        try (ChannelExec channel = session.createExecChannel(command)) {
            if (stdin != null) {
                channel.setIn(new ByteArrayInputStream(stdin));
            }
            LineCapture out = new LineCapture(stdoutLines);
            LineCapture err = new LineCapture(null);
            channel.setOut(out);
            channel.setErr(err);
            channel.open().verify(connectTimeout);
            Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout.toMillis());
            if (events.contains(ClientChannelEvent.TIMEOUT)) {
                channel.close(true);
                return new CommandResult(-1, out.text(), err.text(), true);
            }
            Integer status = channel.getExitStatus();
            return new CommandResult(status == null ? -1 : status, out.text(), err.text(), false);
        }
    }

    private ClientSession session(SshTarget target) throws IOException {
        ClientSession session = sessions.get(target);
        if (session != null && session.isOpen() && session.isAuthenticated()) {
            return session;
        }
        synchronized (this) {
            session = sessions.get(target);
            if (session != null && session.isOpen() && session.isAuthenticated()) {
                return session;
            }
            Failure failure = failures.get(target);
            if (failure != null && Instant.now().isBefore(failure.retryAfter())) {
                throw new IOException("SSH to " + target + " unavailable (retry after " + failure.retryAfter() + "): "
                        + failure.reason());
            }
            try {
                session = connect(target);
            } catch (IOException e) {
                Duration backoff = failure == null
                        ? Duration.ofSeconds(1)
                        : min(failure.backoff().multipliedBy(2), MAX_BACKOFF);
                failures.put(target, new Failure(Instant.now().plus(backoff), backoff, e.getMessage()));
                throw new IOException("SSH to " + target + " failed: " + e.getMessage(), e);
            }
            if (failure != null) {
                LOG.info("SSH to {} is back", target);
            }
            failures.remove(target);
            sessions.put(target, session);
            return session;
        }
    }

    private ClientSession connect(SshTarget target) throws IOException {
        ClientSession session = client.connect(
                        target.userOrDefault(),
                        target.host(),
                        target.portOrDefault(),
                        AttributeRepository.ofKeyValuePair(TARGET, target))
                .verify(connectTimeout)
                .getSession();
        try {
            for (KeyPair key : new FileKeyPairProvider(keyFile(target)).loadKeys(session)) {
                session.addPublicKeyIdentity(key);
            }
            session.auth().verify(connectTimeout);
            return session;
        } catch (IOException | RuntimeException e) {
            session.close(true);
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
    }

    private static Path keyFile(SshTarget target) {
        return target.keyFile() != null
                ? target.keyFile()
                : Path.of(System.getProperty("user.home"), ".ssh", "id_ed25519");
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
