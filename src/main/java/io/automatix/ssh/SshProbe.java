package io.automatix.ssh;

import java.io.IOException;
import java.time.Duration;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;

/**
 * Logs in to a host with its key, verifying the host key against known_hosts (unknown or changed
 * keys are refused, never accepted silently). Used by the cluster health checks.
 */
public final class SshProbe {

    private SshProbe() {
    }

    public static void login(SshTarget target, Duration timeout) throws IOException {
        SshClient client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(
                new KnownHostsServerKeyVerifier(RejectAllServerKeyVerifier.INSTANCE, target.knownHosts()));
        client.setKeyIdentityProvider(new FileKeyPairProvider(target.keyFile()));
        client.start();
        try (ClientSession session = client.connect(target.user(), target.host(), target.port())
                .verify(timeout).getSession()) {
            session.auth().verify(timeout);
        } finally {
            client.stop();
        }
    }
}
