package io.automatix.ssh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.automatix.cluster.Cluster;
import io.automatix.cluster.ClusterHealthCheck;
import io.automatix.cluster.ClusterLogins;
import io.automatix.cluster.ClusterOutages;
import io.automatix.cluster.Clusters;
import io.automatix.supervise.Outgoing;
import io.automatix.testing.TestHosts;
import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * transport=openssh against the test hosts (bastion, login host behind it, two-factor port 2200):
 * every command, rsync and file stream rides one ControlMaster login; a two-factor cluster waits
 * for a person's login (NeedsLogin, one alert per drop, health degraded) and works after it.
 */
public class OpenSshTransportIT {

    private static final Duration T = Duration.ofSeconds(30);
    private static Path data;
    private static Transports transports;

    @BeforeAll
    static void start() throws IOException {
        TestHosts.requireUp();
        data = Files.createTempDirectory("automatix-openssh");
        transports = new Transports(Duration.ofSeconds(10), data, Clock.systemUTC());
        transports.start();
    }

    @AfterAll
    static void stop() {
        if (transports != null) {
            transports.masters().forEach(OpenSshTransport::close);
            transports.stop();
        }
    }

    private static SshTarget target(String name, String host, String... more) {
        Map<String, String> s = new HashMap<>();
        s.put("host", host);
        s.put("transport", "openssh");
        s.put("ssh-config", TestHosts.SSH_CONFIG.toString());
        // the budget is per host across targets: this class opens more than the default 6 a minute
        s.put("connects-per-minute", "600");
        for (int i = 0; i < more.length; i += 2) {
            s.put(more[i], more[i + 1]);
        }
        return SshTarget.fromSettings(name, "automatix.clusters." + name + ".", s);
    }

    @Test
    void commandsRsyncAndAStreamAllRideOneLogin() throws Exception {
        long mark = TestHosts.logMark("login", 22);
        Transport t = transports.of(target("batch1", TestHosts.LOGIN));
        String connection = connection(t.shell());
        for (int i = 0; i < 50; i++) {
            CommandResult r = t.shell().run(List.of("sh", "-c", "echo n" + i + " $SSH_CONNECTION"), T);
            assertThat(r.succeeded()).as(r.summary()).isTrue();
            assertThat(r.stdout().strip()).isEqualTo("n" + i + " " + connection);
        }
        Path dir = Files.createTempDirectory(data, "tree");
        Files.writeString(dir.resolve("a.txt"), "alpha");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/b.txt"), "beta");
        String remote = "/tmp/amx-openssh-it-" + System.nanoTime();
        List<String> rsync = new ArrayList<>(List.of("rsync", "-a", "-e", ShellQuote.command(t.sshCommand())));
        rsync.add(dir + "/");
        rsync.add(t.destination() + ":" + remote + "/");
        CommandResult copied = new LocalShell().run(rsync, T);
        assertThat(copied.succeeded()).as(copied.summary()).isTrue();
        List<String> stream = new ArrayList<>(t.sshCommand());
        stream.add(t.destination());
        stream.add("cat -- " + ShellQuote.quote(remote + "/sub/b.txt") + "; echo \" $SSH_CONNECTION\"");
        CommandResult streamed = new LocalShell().run(stream, T);
        assertThat(streamed.stdout().strip()).isEqualTo("beta " + connection);
        assertThat(t.shell().run(List.of("cat", remote + "/a.txt"), T).stdout()).isEqualTo("alpha");
        t.shell().run(List.of("rm", "-rf", remote), T);

        // other tests log in to the same host meanwhile: count the logins of our connection's port
        assertThat(logins("login", 22, mark, connection, "Accepted publickey")).isEqualTo(1);
        assertThat(logins("login", 22, mark, connection, "Accepted")).isEqualTo(1);
    }

    @Test
    void aClientNeverConnectsByItselfAndABatchMasterIsOpenedAgain() throws Exception {
        OpenSshTransport t = transports.openssh(target("reopen", TestHosts.LOGIN));
        String first = connection(t.shell());
        List<String> exit = t.base();
        exit.addAll(List.of("-O", "exit", t.destination()));
        new LocalShell().run(exit, T);
        long mark = TestHosts.logMark("login", 22);
        // a stream (as rsync -e) without its master fails: no connection of its own
        List<String> stream = new ArrayList<>(t.sshCommand());
        stream.add(t.destination());
        stream.add("echo $SSH_CONNECTION");
        CommandResult orphan = new LocalShell().run(stream, T);
        assertThat(orphan.exitCode()).isEqualTo(255);
        assertThat(TestHosts.countSince("login", 22, mark, "Accepted publickey"))
                .isZero();
        // a command opens the master again (batch)
        String second = connection(t.shell());
        assertThat(second).isNotEqualTo(first);
        assertThat(new LocalShell().run(stream, T).stdout().strip()).isEqualTo(second);
    }

    @Test
    void anEncryptedKeyIsOpenedWithItsPassphraseFile() throws Exception {
        long mark = TestHosts.logMark("login", 22);
        Transport t = transports.of(target(
                "enc",
                TestHosts.LOGIN,
                "ssh-config",
                TestHosts.SSH_CONFIG_BARE.toString(),
                "key",
                TestHosts.ENC_KEY.toString(),
                "key-passphrase-file",
                TestHosts.ENC_KEY_PASSPHRASE.toString()));
        String connection = connection(t.shell());
        assertThat(logins("login", 22, mark, connection, fingerprint(TestHosts.ENC_KEY)))
                .isEqualTo(1);
    }

    @Test
    void theAgentsKeyLogsIn() throws Exception {
        long mark = TestHosts.logMark("login", 22);
        Transport t = transports.of(target(
                "agent",
                TestHosts.LOGIN,
                "ssh-config",
                TestHosts.SSH_CONFIG_BARE.toString(),
                "agent",
                TestHosts.AGENT_SOCKET.toString()));
        String connection = connection(t.shell());
        assertThat(logins("login", 22, mark, connection, fingerprint(TestHosts.AGENT_KEY)))
                .isEqualTo(1);
    }

    private static String fingerprint(Path key) throws IOException {
        CommandResult r = new LocalShell().run(List.of("ssh-keygen", "-l", "-f", key + ".pub"), T);
        return r.stdout().split(" ")[1];
    }

    @Test
    void twoJumpHopsFromTheConfiguration() throws Exception {
        long mark = TestHosts.logMark("login", 22);
        Transport t = transports.of(target("hops", TestHosts.LOGIN_VIA_ACQ));
        String connection = connection(t.shell());
        // the last hop before the login host is the acquisition host
        assertThat(connection).startsWith(TestHosts.ACQ_ADDRESS + " ");
        for (int i = 0; i < 3; i++) {
            assertThat(connection(t.shell())).isEqualTo(connection);
        }
        assertThat(logins("login", 22, mark, connection, "Accepted publickey")).isEqualTo(1);
    }

    @Test
    void sixteenConcurrentCommandsWithinMaxSessionsTwo() throws Exception {
        Transport t = transports.of(
                target("sessions", TestHosts.LOGIN, "max-sessions", String.valueOf(TestHosts.LOGIN_MAX_SESSIONS)));
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<CommandResult>> runs = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String word = "c" + i;
                runs.add(pool.submit(() -> t.shell().run(List.of("sh", "-c", "sleep 0.2; echo " + word), T)));
            }
            for (int i = 0; i < 16; i++) {
                CommandResult r = runs.get(i).get();
                assertThat(r.succeeded()).as(r.summary()).isTrue();
                assertThat(r.stdout().strip()).isEqualTo("c" + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void twoFactorWaitsForAPersonsLoginAndAlertsOncePerDrop() throws Exception {
        Properties p = new Properties();
        String c = "automatix.clusters.tfa.";
        p.put(c + "host", TestHosts.LOGIN_2FA);
        p.put(c + "transport", "openssh");
        p.put(c + "login", "interactive");
        p.put(c + "ssh-config", TestHosts.SSH_CONFIG.toString());
        Clusters clusters = Clusters.from(p, data, transports);
        Cluster cluster = clusters.get("tfa").orElseThrow();
        ClusterLogins logins = new ClusterLogins(clusters, transports);
        ClusterHealthCheck health =
                new ClusterHealthCheck(cluster, clusters, new ClusterOutages(List.of(cluster.name())));
        long mark = TestHosts.logMark("login", TestHosts.LOGIN_2FA_PORT);

        assertThatThrownBy(() -> clusters.shell(cluster).run(List.of("true"), T))
                .isInstanceOf(NeedsLogin.class)
                .hasMessageContaining("tfa (")
                .hasMessageContaining("needs a login since")
                .hasMessageContaining("automatix login tfa");
        assertThat(alerts(logins)).hasSize(1).first().asString().contains("\"cluster\":\"tfa\"", "needs-login");
        assertThat(alerts(logins)).isEmpty();
        assertDegraded(health);
        assertThat(logins.status("tfa")).containsEntry("state", "needs-login");

        login(logins, TestHosts.totpCode());
        String connection = connection(clusters.shell(cluster));
        for (int i = 0; i < 5; i++) {
            assertThat(connection(clusters.shell(cluster))).isEqualTo(connection);
        }
        assertThat(logins("login", TestHosts.LOGIN_2FA_PORT, mark, connection, "Accepted keyboard-interactive"))
                .isEqualTo(1);
        assertThat(health.call().getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(health.call().getDetails()).doesNotContainKey("state");
        assertThat(alerts(logins)).isEmpty();

        // the connection drops: needs a login again, one alert, degraded
        OpenSshTransport master = transports.openssh(cluster.ssh());
        List<String> exit = master.base();
        exit.addAll(List.of("-O", "exit", master.destination()));
        new LocalShell().run(exit, T);
        assertThatThrownBy(() -> clusters.shell(cluster).run(List.of("true"), T))
                .isInstanceOf(NeedsLogin.class);
        assertThat(alerts(logins)).hasSize(1);
        assertThat(alerts(logins)).isEmpty();
        assertDegraded(health);

        login(logins, TestHosts.totpCode());
        String again = connection(clusters.shell(cluster));
        assertThat(again).isNotEqualTo(connection);
        assertThat(logins("login", TestHosts.LOGIN_2FA_PORT, mark, again, "Accepted keyboard-interactive"))
                .isEqualTo(1);

        // a wrong code: the login fails saying so, and the cluster still needs a login
        logins.logout("tfa");
        Map<String, Object> step = logins.start("tfa");
        assertThat(step).containsEntry("state", "prompting");
        step = logins.answer("tfa", "000000");
        assertThat(step).containsEntry("state", "failed");
        assertThat((String) step.get("error")).contains("second factor refused", "automatix login tfa");
        assertThat(logins.status("tfa")).containsEntry("state", "needs-login");
    }

    /** The remote end's $SSH_CONNECTION (client address and port, server address and port): one per connection. */
    public static String connection(Shell shell) throws IOException {
        CommandResult r = shell.run(List.of("sh", "-c", "echo $SSH_CONNECTION"), T);
        assertThat(r.succeeded()).as(r.summary()).isTrue();
        assertThat(r.stdout().strip()).isNotEmpty();
        return r.stdout().strip();
    }

    /** Lines with text logged by the host's sshd after mark for the connection (its client port). */
    public static int logins(String host, int port, long mark, String connection, String text) {
        String clientPort = connection.split(" ")[1];
        return (int) TestHosts.logSince(host, port, mark).stream()
                .filter(l -> l.contains(text) && l.contains(" port " + clientPort + " "))
                .count();
    }

    private static void login(ClusterLogins logins, String code) throws IOException {
        Map<String, Object> step = logins.start("tfa");
        assertThat(step).containsEntry("state", "prompting");
        assertThat(step.get("prompt")).asString().isNotBlank();
        step = logins.answer("tfa", code);
        assertThat(step).as(step.toString()).containsEntry("state", "up");
    }

    private static List<String> alerts(ClusterLogins logins) {
        List<Outgoing> alerts = logins.watch();
        alerts.forEach(a -> assertThat(a.exchange()).isEqualTo(Outgoing.ALERTS));
        return alerts.stream().map(Outgoing::body).toList();
    }

    private static void assertDegraded(ClusterHealthCheck health) {
        HealthCheck.Result result = health.call();
        assertThat(result.getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(result.getDetails()).containsEntry("state", "needs-login").containsKeys("since", "fix");
        assertThat(result.getMessage()).get().asString().startsWith("degraded (needs-login):");
    }

    @Test
    void anUnknownHostKeySaysItsFingerprintAndLine() {
        Transport t = transports.of(
                target("unknown", TestHosts.LOGIN, "known-hosts", TestHosts.KNOWN_HOSTS_EMPTY.toString()));
        assertThatThrownBy(() -> t.shell().run(List.of("true"), T))
                .isInstanceOf(SshFailure.class)
                .hasMessageContaining("unknown (")
                .hasMessageContaining("is not in " + TestHosts.KNOWN_HOSTS_EMPTY)
                .hasMessageContaining("SHA256:")
                .hasMessageContaining("ssh-ed25519 ");
    }

    @Test
    void aChangedHostKeySaysBothFingerprints() {
        Transport t = transports.of(
                target("changed", TestHosts.LOGIN, "known-hosts", TestHosts.KNOWN_HOSTS_CHANGED.toString()));
        assertThatThrownBy(() -> t.shell().run(List.of("true"), T))
                .isInstanceOf(SshFailure.class)
                .hasMessageContaining("CHANGED")
                .hasMessageContaining(TestHosts.KNOWN_HOSTS_CHANGED.toString())
                .satisfies(e -> assertThat(e.getMessage().split("SHA256:", -1)).hasSize(3));
    }

    @Test
    void aFailingHopIsNamed() throws IOException {
        Path config = data.resolve("ssh_config.broken");
        Files.writeString(
                config,
                "Host amx-broken\n    HostName 10.77.1.2\n    ProxyJump amx-nohop\n"
                        + "Host amx-nohop\n    HostName " + TestHosts.BASTION_ADDRESS + "\n    Port 2\n"
                        + Files.readString(TestHosts.SSH_CONFIG));
        Transport t = transports.of(target("broken", "amx-broken", "ssh-config", config.toString()));
        assertThatThrownBy(() -> t.shell().run(List.of("true"), T))
                .isInstanceOf(SshFailure.class)
                .hasMessageContaining("the jump host amx-nohop (" + TestHosts.BASTION_ADDRESS + ":2")
                .hasMessageContaining("cannot be reached")
                .hasMessageContaining(config.toString());
    }

    @Test
    void aMissingKeyIsNamed() {
        Transport t = transports.of(target(
                "nokey",
                TestHosts.LOGIN,
                "ssh-config",
                TestHosts.SSH_CONFIG_BARE.toString(),
                "user",
                TestHosts.USER,
                "known-hosts",
                TestHosts.KNOWN_HOSTS.toString(),
                "key",
                data.resolve("no_such_key").toString()));
        assertThatThrownBy(() -> t.shell().run(List.of("true"), T))
                .isInstanceOf(SshFailure.class)
                .hasMessageContaining("the key file " + data.resolve("no_such_key"));
    }
}
