package io.automatix.ssh;

import java.net.SocketAddress;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.util.net.SshdSocketAddress;

/**
 * Checks each hop's host key against the known_hosts file in force for it, by the name the hop is
 * reached by (a hop behind a ProxyJump is connected through a local forward, so its socket address
 * says nothing). Unknown and changed keys are refused; what was wrong is kept on the attempt, for a
 * message with the fingerprints and the line to add.
 */
final class HostKeyCheck implements ServerKeyVerifier {

    private final Map<Path, KnownHosts> files = new ConcurrentHashMap<>();

    /**
     * A refused host key.
     *
     * @param expected null: the key is unknown; else the fingerprint known_hosts has
     */
    record Problem(SshRoute.Hop hop, Path file, String offered, String line, String expected) {

        /** @param where the hop as the route names it */
        String problem(String where) {
            return expected == null
                    ? "the host key of " + where + " (" + offered + ") is not in " + file
                    : "the host key of " + where + " changed: " + file + " has " + expected + ", the host offers "
                            + offered + "; refused";
        }

        String fix() {
            return expected == null
                    ? "if " + offered + " is the host's key (ask the site, or compare with ssh-keyscan run on a "
                            + "trusted network), add this line to " + file + ": " + line
                    : "only if the site announced a new host key: remove the old line (ssh-keygen -R "
                            + ShellQuote.quote(hop.knownHostsName()) + " -f " + ShellQuote.quote(file.toString())
                            + ") and add: " + line + "; otherwise do not connect, the connection may be intercepted";
        }
    }

    static SshRoute.Hop hop(ClientSession session) {
        LoginAttempt attempt = LoginAttempt.of(session);
        return attempt == null ? null : attempt.hop;
    }

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remote, PublicKey key) {
        SshRoute.Hop hop = hop(session);
        return hop != null
                && files.computeIfAbsent(hop.knownHosts(), KnownHosts::new).verifyServerKey(session, remote, key);
    }

    private static final class KnownHosts extends KnownHostsServerKeyVerifier {

        KnownHosts(Path file) {
            super(RejectAllServerKeyVerifier.INSTANCE, file);
        }

        @Override
        protected Collection<SshdSocketAddress> resolveHostNetworkIdentities(
                ClientSession session, SocketAddress remote) {
            SshRoute.Hop hop = hop(session);
            return hop == null ? List.of() : List.of(new SshdSocketAddress(hop.hostName(), hop.port()));
        }

        @Override
        protected boolean acceptUnknownHostKey(ClientSession session, SocketAddress remote, PublicKey key) {
            LoginAttempt.of(session).hostKeyProblem = problem(session, key, null);
            return false;
        }

        @Override
        public boolean acceptModifiedServerKey(
                ClientSession session,
                SocketAddress remote,
                KnownHostEntry entry,
                PublicKey expected,
                PublicKey actual) {
            LoginAttempt.of(session).hostKeyProblem = problem(session, actual, KeyUtils.getFingerPrint(expected));
            return false;
        }

        private Problem problem(ClientSession session, PublicKey key, String expected) {
            SshRoute.Hop hop = hop(session);
            return new Problem(
                    hop,
                    getPath(),
                    KeyUtils.getFingerPrint(key),
                    hop.knownHostsName() + " " + PublicKeyEntry.toString(key),
                    expected);
        }
    }
}
