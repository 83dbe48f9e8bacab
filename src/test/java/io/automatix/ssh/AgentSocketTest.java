package io.automatix.ssh;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.common.signature.Signature;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The agent protocol against a real ssh-agent of the test's own: keys listed, signatures with each algorithm. */
class AgentSocketTest {

    @TempDir
    Path dir;

    private Process agent;
    private Path socket;

    @BeforeEach
    void startAgent() throws Exception {
        socket = dir.resolve("agent.sock");
        agent = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("agent.log").toFile())
                .start();
        for (int i = 0; i < 100 && !Files.exists(socket); i++) {
            Thread.sleep(20);
        }
        assertThat(socket).as("ssh-agent started (see agent.log)").exists();
        for (String type : List.of("ed25519", "rsa")) {
            Path key = dir.resolve("id_" + type);
            run("ssh-keygen", "-q", "-t", type, "-N", "", "-C", type + "-comment", "-f", key.toString());
            run("ssh-add", key.toString());
        }
    }

    @AfterEach
    void stopAgent() throws Exception {
        agent.destroy();
        agent.waitFor(5, TimeUnit.SECONDS);
    }

    private void run(String... argv) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().put("SSH_AUTH_SOCK", socket.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", argv) + ": " + out).isZero();
    }

    @Test
    void listsTheKeysAndSignsWithEachAlgorithm() throws Exception {
        try (AgentSocket client = new AgentSocket(socket)) {
            List<Map.Entry<PublicKey, String>> keys = client.keys();
            assertThat(keys).extracting(Map.Entry::getValue).containsExactly("ed25519-comment", "rsa-comment");
            assertThat(KeyUtils.getFingerPrint(keys.get(0).getKey()))
                    .isEqualTo(fingerprint(dir.resolve("id_ed25519.pub")));
            verify(client, keys.get(0).getKey(), null, "ssh-ed25519", BuiltinSignatures.ed25519);
            // rsa-sha2 flags (2: SHA-256, 4: SHA-512) choose the signature the agent makes
            verify(client, keys.get(1).getKey(), "rsa-sha2-256", "rsa-sha2-256", BuiltinSignatures.rsaSHA256);
            verify(client, keys.get(1).getKey(), "rsa-sha2-512", "rsa-sha2-512", BuiltinSignatures.rsaSHA512);
        }
    }

    @Test
    void anEmptyAgentListsNoKeys() throws Exception {
        run("ssh-add", "-D");
        try (AgentSocket client = new AgentSocket(socket)) {
            assertThat(client.keys()).isEmpty();
        }
    }

    private static void verify(
            AgentSocket client, PublicKey key, String algorithm, String expected, NamedFactory<Signature> signature)
            throws Exception {
        byte[] data = ("data for " + expected).getBytes(StandardCharsets.UTF_8);
        Map.Entry<String, byte[]> signed = client.sign(null, key, algorithm, data);
        assertThat(signed.getKey()).isEqualTo(expected);
        Signature verifier = signature.create();
        verifier.initVerifier(null, key);
        verifier.update(null, data);
        assertThat(verifier.verify(null, signed.getValue())).isTrue();
    }

    private static String fingerprint(Path publicKey) throws Exception {
        String line = Files.readString(publicKey).strip();
        return KeyUtils.getFingerPrint(PublicKeyEntry.parsePublicKeyEntry(line).resolvePublicKey(null, null, null));
    }
}
