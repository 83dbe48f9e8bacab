package io.automatix.ssh;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.automatix.testing.TestHosts;
import io.automatix.testing.TestServices;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The mina transport against the site-access test hosts (scripts/test-hosts): the login host behind
 * the bastion, by the SSH configuration's aliases alone, through one and two ProxyJump hops, for
 * commands and rsync; agent, encrypted and certificate keys; MaxSessions; and each failure with the
 * message that says what to do.
 */
class MinaTransportIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static Transports transports;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        TestHosts.requireUp();
        transports = new Transports(Duration.ofSeconds(5));
        transports.start();
    }

    @AfterAll
    static void stop() {
        if (transports != null) {
            transports.stop();
        }
    }

    /** A target by alias; the tests connect often, so the budget is raised. */
    private static SshTarget target(String name, String host, Path config, String... more) {
        Map<String, String> s = new HashMap<>();
        s.put("host", host);
        s.put("ssh-config", config.toString());
        s.put("connects-per-minute", "1000");
        for (int i = 0; i < more.length; i += 2) {
            s.put(more[i], more[i + 1]);
        }
        return SshTarget.fromSettings(name, "automatix.clusters." + name + ".", s);
    }

    private static CommandResult run(SshTarget target, String script) throws IOException {
        return transports.of(target).shell().run(List.of("sh", "-c", script), TIMEOUT);
    }

    /** {@code client-address server-address} of the connection the command came in on. */
    private static String connection(SshTarget target) throws IOException {
        CommandResult r = run(target, "set -- $SSH_CONNECTION; echo $1 $3");
        assertThat(r.succeeded()).as(r.summary()).isTrue();
        return r.stdout().strip();
    }

    private static String failure(SshTarget target) {
        Throwable thrown = catchThrowable(() -> run(target, "true"));
        assertThat(thrown).isInstanceOf(SshFailure.class);
        return thrown.getMessage();
    }

    private static String fingerprint(Path publicKey) throws Exception {
        return KeyUtils.getFingerPrint(
                PublicKeyEntry.parsePublicKeyEntry(Files.readString(publicKey).strip())
                        .resolvePublicKey(null, null, null));
    }

    @Test
    void commandsThroughOneAndTwoHopsByAliasAlone() throws IOException {
        // through the bastion: the login host sees the bastion's inner address
        SshTarget hop1 = target("hop1", TestHosts.LOGIN, TestHosts.SSH_CONFIG);
        assertThat(connection(hop1)).isEqualTo(TestHosts.BASTION_INNER_ADDRESS + " " + TestHosts.LOGIN_ADDRESS);
        // the configuration's ServerAliveInterval 15 is the connection's heartbeat
        assertThat(transports.mina().heartbeat(hop1)).isEqualTo(Duration.ofSeconds(15));
        // through the bastion and the acquisition host: the login host sees the acquisition host
        assertThat(connection(target("hop2", TestHosts.LOGIN_VIA_ACQ, TestHosts.SSH_CONFIG)))
                .isEqualTo(TestHosts.ACQ_ADDRESS + " " + TestHosts.LOGIN_ADDRESS);
    }

    @Test
    void rsyncTakesTheSameRoute() throws Exception {
        for (String alias : List.of(TestHosts.LOGIN, TestHosts.LOGIN_VIA_ACQ)) {
            Transport transport = transports.of(target("rsync", alias, TestHosts.SSH_CONFIG));
            Path from = Files.createDirectories(dir.resolve(alias + "-from"));
            Files.writeString(from.resolve("data.txt"), "through " + alias + "\n");
            Path to = TestServices.sharedDirectory("mina-rsync", true);
            List<String> argv =
                    new ArrayList<>(List.of("rsync", "-rt", "-e", ShellQuote.command(transport.sshCommand())));
            argv.add(from + "/");
            argv.add(transport.destination() + ":" + to + "/copy/");
            CommandResult r = new LocalShell().run(argv, TIMEOUT);
            assertThat(r.succeeded()).as(r.summary()).isTrue();
            assertThat(Files.readString(to.resolve("copy/data.txt"))).isEqualTo("through " + alias + "\n");
        }
    }

    @Test
    void agentOnlyKey() throws IOException {
        SshTarget t =
                target("agent", TestHosts.LOGIN, TestHosts.SSH_CONFIG_BARE, "agent", TestHosts.AGENT_SOCKET.toString());
        assertThat(connection(t)).endsWith(TestHosts.LOGIN_ADDRESS);
    }

    @Test
    void encryptedKeyWithItsPassphraseFromAFile() throws IOException {
        SshTarget t = target(
                "enc",
                TestHosts.LOGIN,
                TestHosts.SSH_CONFIG_BARE,
                "key",
                TestHosts.ENC_KEY.toString(),
                "key-passphrase-file",
                TestHosts.ENC_KEY_PASSPHRASE.toString());
        assertThat(connection(t)).endsWith(TestHosts.LOGIN_ADDRESS);
        // and ssh(1) for rsync and streams, its passphrase from the same file
        List<String> argv = new ArrayList<>(transports.of(t).sshCommand());
        argv.addAll(List.of(transports.of(t).destination(), "echo through ssh"));
        CommandResult r = new LocalShell().run(argv, TIMEOUT);
        assertThat(r.succeeded()).as(r.summary()).isTrue();
        assertThat(r.stdout()).isEqualTo("through ssh\n");
    }

    @Test
    void certificate() throws IOException {
        SshTarget t = target("cert", TestHosts.LOGIN, TestHosts.SSH_CONFIG_BARE, "key", TestHosts.CERT_KEY.toString());
        assertThat(connection(t)).endsWith(TestHosts.LOGIN_ADDRESS);
        assertThat(UserCertificate.of(t))
                .extracting(UserCertificate::file)
                .containsExactly(TestHosts.certificate(TestHosts.CERT_KEY));
        UserCertificate cert = UserCertificate.beside(TestHosts.CERT_KEY).orElseThrow();
        assertThat(cert.principals()).contains(TestHosts.USER);
        assertThat(cert.expires()).isPresent();
    }

    @Test
    void sixteenConcurrentCommandsOnAHostWithMaxSessionsTwo() throws Exception {
        SshTarget t = target("max", TestHosts.LOGIN, TestHosts.SSH_CONFIG, "max-sessions", "2");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<CommandResult>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String n = String.valueOf(i);
                results.add(pool.submit(() -> run(t, "sleep 0.2; echo " + n)));
            }
            for (int i = 0; i < 16; i++) {
                CommandResult r = results.get(i).get(60, TimeUnit.SECONDS);
                assertThat(r.succeeded()).as(r.summary()).isTrue();
                assertThat(r.stdout().strip()).isEqualTo(String.valueOf(i));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aHostThatNeverAnswersDelaysNoOther() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            SshTarget stuck = SshTarget.fromSettings(
                    "stuck",
                    "automatix.clusters.stuck.",
                    Map.of(
                            "host",
                            "127.0.0.1",
                            "port",
                            String.valueOf(silent.getLocalPort()),
                            "user",
                            TestHosts.USER,
                            "key",
                            TestHosts.KEY.toString()));
            CompletableFuture<Throwable> hanging = CompletableFuture.supplyAsync(() -> {
                try {
                    run(stuck, "true");
                    return null;
                } catch (IOException e) {
                    return e;
                }
            });
            Thread.sleep(200); // the stuck connect is under way
            long start = System.nanoTime();
            assertThat(connection(target("free", TestHosts.LOGIN, TestHosts.SSH_CONFIG)))
                    .endsWith(TestHosts.LOGIN_ADDRESS);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
            assertThat(hanging.isDone()).isFalse();
            assertThat(hanging.get(30, TimeUnit.SECONDS)).isNotNull();
        }
    }

    @Test
    void missingKey() {
        String message = failure(target("nokey", TestHosts.LOGIN, TestHosts.SSH_CONFIG, "key", "/nonexistent/id_x"));
        assertThat(message)
                .startsWith("nokey (")
                .contains("the key file /nonexistent/id_x (setting 'key') does not exist")
                .contains("ssh-keygen");
    }

    @Test
    void encryptedKeyWithoutPassphrase() {
        String message = failure(
                target("encnop", TestHosts.LOGIN, TestHosts.SSH_CONFIG_BARE, "key", TestHosts.ENC_KEY.toString()));
        assertThat(message)
                .contains("the key " + TestHosts.ENC_KEY + " is encrypted and no passphrase is configured")
                .contains("key-passphrase-file")
                .contains("key-passphrase-env");
    }

    @Test
    void agentWithNoKeys() {
        String message = failure(target(
                "emptyagent",
                TestHosts.LOGIN,
                TestHosts.SSH_CONFIG_BARE,
                "agent",
                TestHosts.EMPTY_AGENT_SOCKET.toString()));
        assertThat(message)
                .contains("the ssh-agent at " + TestHosts.EMPTY_AGENT_SOCKET + " (setting 'agent') holds no keys")
                .contains("ssh-add");
    }

    @Test
    void expiredCertificateBeforeConnecting() {
        String message = failure(target(
                "expired", TestHosts.LOGIN, TestHosts.SSH_CONFIG_BARE, "key", TestHosts.EXPIRED_CERT_KEY.toString()));
        assertThat(message)
                .contains("the SSH certificate " + TestHosts.certificate(TestHosts.EXPIRED_CERT_KEY))
                .contains("expired at 2020-01-02")
                .contains("get a new certificate");
    }

    @Test
    void unknownHostKey() throws Exception {
        String message = failure(target(
                "unknown",
                TestHosts.LOGIN,
                TestHosts.SSH_CONFIG,
                "known-hosts",
                TestHosts.KNOWN_HOSTS_EMPTY.toString()));
        String[] key = Files.readString(TestHosts.HOME.resolve("bastion_host_ed25519.pub"))
                .strip()
                .split(" ");
        String line = TestHosts.BASTION_ADDRESS + " " + key[0] + " " + key[1];
        assertThat(message)
                .contains("the host key of ProxyJump hop 1 of 1, amx-bastion (10.77.0.2:22) ("
                        + fingerprint(TestHosts.HOME.resolve("bastion_host_ed25519.pub")) + ") is not in "
                        + TestHosts.KNOWN_HOSTS_EMPTY)
                .contains("add this line to " + TestHosts.KNOWN_HOSTS_EMPTY + ": " + line);
    }

    @Test
    void changedHostKeyIsRefusedWithBothFingerprints() throws Exception {
        String message = failure(target(
                "changed",
                TestHosts.LOGIN,
                TestHosts.SSH_CONFIG,
                "known-hosts",
                TestHosts.KNOWN_HOSTS_CHANGED.toString()));
        assertThat(message)
                .contains("the host key of target amx-login (10.77.1.2:22)")
                .contains("changed: " + TestHosts.KNOWN_HOSTS_CHANGED + " has "
                        + fingerprint(TestHosts.HOME.resolve("other_host_ed25519.pub")) + ", the host offers "
                        + fingerprint(TestHosts.HOME.resolve("login_host_ed25519.pub")) + "; refused")
                .contains("ssh-keygen -R");
    }

    @Test
    void aFailingProxyJumpHopIsNamed() throws IOException {
        Path config = dir.resolve("ssh_config");
        Files.writeString(
                config,
                "Host amx-nowhere\n    HostName 10.77.1.99\n    ConnectTimeout 3\n"
                        + "Host amx-behind-nowhere\n    HostName 10.77.1.2\n    ProxyJump amx-bastion,amx-nowhere\n"
                        + Files.readString(TestHosts.SSH_CONFIG));
        String message = failure(target("badhop", "amx-behind-nowhere", config));
        assertThat(message)
                .contains(
                        "cannot reach ProxyJump hop 2 of 2, amx-nowhere (10.77.1.99:22) through amx-bastion (10.77.0.2:22)")
                .contains("check that 10.77.0.2 can reach 10.77.1.99 port 22");
    }

    @Test
    void aSecondFactorSaysToLogInThroughOpenSsh() {
        String message = failure(target("twofa", TestHosts.LOGIN_2FA, TestHosts.SSH_CONFIG));
        assertThat(message)
                .contains("asks for a second factor (keyboard-interactive)")
                .contains("set transport=openssh and login=interactive, then run `automatix login twofa`");
    }

    @Test
    void agentProtocolAgainstARealAgent() throws Exception {
        try (AgentSocket agent = new AgentSocket(TestHosts.AGENT_SOCKET)) {
            var keys = agent.keys();
            assertThat(keys).hasSize(1);
            assertThat(KeyUtils.getFingerPrint(keys.get(0).getKey()))
                    .isEqualTo(fingerprint(TestHosts.AGENT_KEY.resolveSibling("agent_ed25519.pub")));
            byte[] data = "to be signed".getBytes();
            var signature = agent.sign(null, keys.get(0).getKey(), null, data);
            assertThat(signature.getKey()).isEqualTo("ssh-ed25519");
            var verifier = BuiltinSignatures.ed25519.create();
            verifier.initVerifier(null, keys.get(0).getKey());
            verifier.update(null, data);
            assertThat(verifier.verify(null, signature.getValue())).isTrue();
        }
        assertThatThrownBy(() -> new AgentSocket(dir.resolve("none.sock")).keys())
                .hasMessageContaining("cannot reach the ssh-agent at");
    }
}
