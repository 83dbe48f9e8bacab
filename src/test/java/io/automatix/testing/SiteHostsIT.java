package io.automatix.testing;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The test hosts are what the site-access tests take them for, proved with the system ssh client:
 * the login host only through the bastion, two factors on port 2200, SLURM on the login host, and
 * MaxSessions 2 on its port 22.
 */
class SiteHostsIT {

    @BeforeAll
    static void hostsUp() {
        TestHosts.requireUp();
    }

    @Test
    void theLoginHostIsReachableOnlyThroughTheBastion() {
        assertThatThrownBy(() -> {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress(TestHosts.LOGIN_ADDRESS, TestHosts.SSH_PORT), 3000);
                    }
                })
                .isInstanceOf(IOException.class);
        Result direct = run(TestHosts.ssh("-o", "ProxyJump=none", TestHosts.LOGIN, "true"));
        assertThat(direct.exit()).as(direct.output()).isEqualTo(255);

        assertThat(run(TestHosts.ssh(TestHosts.BASTION, "hostname -I")).ok().split("\\s+"))
                .contains(TestHosts.BASTION_ADDRESS, TestHosts.BASTION_INNER_ADDRESS);
        assertThat(run(TestHosts.ssh(TestHosts.LOGIN, "hostname -I")).ok()).contains(TestHosts.LOGIN_ADDRESS);
        assertThat(run(TestHosts.ssh(TestHosts.ACQ, "hostname -I")).ok()).contains(TestHosts.ACQ_ADDRESS);
        assertThat(run(TestHosts.ssh(TestHosts.LOGIN_VIA_ACQ, "hostname -I")).ok())
                .contains(TestHosts.LOGIN_ADDRESS);
    }

    @Test
    void theTwoFactorPortWantsTheKeyAndTheCurrentCode() {
        long mark = TestHosts.logMark("login", TestHosts.LOGIN_2FA_PORT);
        // the key alone is not enough
        Result keyOnly = run(TestHosts.ssh(TestHosts.LOGIN_2FA, "true"));
        assertThat(keyOnly.exit()).as(keyOnly.output()).isEqualTo(255);

        String code = TestHosts.totpCode();
        String wrong = String.format("%06d", (Integer.parseInt(code) + 1) % 1_000_000);
        Result refused = run(TestHosts.sshAnswering(wrong, TestHosts.LOGIN_2FA, "true"));
        assertThat(refused.exit()).as(refused.output()).isEqualTo(255);
        assertThat(TestHosts.keyboardInteractiveLogins("login", TestHosts.LOGIN_2FA_PORT, mark))
                .isZero();

        assertThat(run(TestHosts.sshAnswering(code, TestHosts.LOGIN_2FA, "echo in"))
                        .ok())
                .isEqualTo("in\n");
        assertThat(TestHosts.keyboardInteractiveLogins("login", TestHosts.LOGIN_2FA_PORT, mark))
                .isEqualTo(1);

        // pam_oath refuses a code used once; the next one handed out is accepted
        assertThat(TestHosts.lastUsedTotpCode()).isEqualTo(code);
        Result replayed = run(TestHosts.sshAnswering(code, TestHosts.LOGIN_2FA, "true"));
        assertThat(replayed.exit()).as(replayed.output()).isEqualTo(255);
        run(TestHosts.sshAnswering(TestHosts.totpCode(), TestHosts.LOGIN_2FA, "true"))
                .ok();
        assertThat(TestHosts.keyboardInteractiveLogins("login", TestHosts.LOGIN_2FA_PORT, mark))
                .isEqualTo(2);
    }

    @Test
    void aCertificateKeyLogsInByItsCertificateOnly() {
        long mark = TestHosts.logMark("login", TestHosts.SSH_PORT);
        assertThat(run(bare(TestHosts.CERT_KEY, TestHosts.LOGIN, "echo in")).ok())
                .isEqualTo("in\n");
        // sshd logs "Accepted certificate ID" when it checks the certificate and when it is signed with
        assertThat(TestHosts.logSince("login", TestHosts.SSH_PORT, mark))
                .filteredOn(line -> line.contains("Accepted publickey"))
                .singleElement()
                .asString()
                .contains("ED25519-CERT");
        Result expired = run(bare(TestHosts.EXPIRED_CERT_KEY, TestHosts.LOGIN, "true"));
        assertThat(expired.exit()).as(expired.output()).isEqualTo(255);
    }

    @Test
    void theAgentAndTheEncryptedKeyLogIn() {
        ProcessBuilder agent = bare(null, TestHosts.LOGIN, "echo in");
        agent.command().addAll(1, List.of("-o", "IdentityAgent=" + TestHosts.AGENT_SOCKET));
        assertThat(run(agent).ok()).isEqualTo("in\n");
        ProcessBuilder empty = bare(null, TestHosts.LOGIN, "true");
        empty.command().addAll(1, List.of("-o", "IdentityAgent=" + TestHosts.EMPTY_AGENT_SOCKET));
        assertThat(run(empty).exit()).isEqualTo(255);

        ProcessBuilder encrypted = bare(TestHosts.ENC_KEY, TestHosts.LOGIN, "echo in");
        encrypted.command().addAll(1, List.of("-o", "BatchMode=no"));
        encrypted.environment().put("SSH_ASKPASS", TestHosts.ASKPASS.toString());
        encrypted.environment().put("SSH_ASKPASS_REQUIRE", "force");
        encrypted.environment().put("AMX_ASKPASS_ANSWER", read(TestHosts.ENC_KEY_PASSPHRASE));
        assertThat(run(encrypted).ok()).isEqualTo("in\n");
    }

    @Test
    void aChangedHostKeyIsRefused() {
        Result changed = run(
                TestHosts.ssh("-o", "UserKnownHostsFile=" + TestHosts.KNOWN_HOSTS_CHANGED, TestHosts.LOGIN, "true"));
        assertThat(changed.exit()).isEqualTo(255);
        assertThat(changed.output()).contains("REMOTE HOST IDENTIFICATION HAS CHANGED");
        Result unknown =
                run(TestHosts.ssh("-o", "UserKnownHostsFile=" + TestHosts.KNOWN_HOSTS_EMPTY, TestHosts.LOGIN, "true"));
        assertThat(unknown.exit()).isEqualTo(255);
        assertThat(unknown.output()).contains("Host key verification failed");
    }

    @Test
    void slurmWorksOnTheLoginHost() {
        String job = run(TestHosts.ssh(
                        TestHosts.LOGIN, "sbatch --parsable --job-name=amx-hosts-it -o /dev/null --wrap true"))
                .ok()
                .trim();
        assertThat(job).matches("\\d+(;.*)?");
        run(TestHosts.ssh(TestHosts.LOGIN, "squeue -h -u " + TestHosts.USER)).ok();
        assertThat(run(TestHosts.ssh(TestHosts.LOGIN, "scontrol show job " + job.split(";")[0]))
                        .ok())
                .contains("JobName=amx-hosts-it");
    }

    @Test
    void aThirdSessionOnOneConnectionIsRefused() throws Exception {
        Path dir = Files.createTempDirectory("amx-cm");
        String control = "ControlPath=" + dir.resolve("c");
        ProcessBuilder master = TestHosts.ssh("-o", "ControlMaster=yes", "-o", control, "-f", "-N", TestHosts.LOGIN);
        // -f leaves the master running with our pipes: give it none
        master.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        assertThat(master.start().waitFor()).isZero();
        List<Process> sessions = new ArrayList<>();
        try {
            for (int i = 0; i < TestHosts.LOGIN_MAX_SESSIONS; i++) {
                Process p = TestHosts.ssh("-o", control, TestHosts.LOGIN, "echo started; sleep 60")
                        .redirectErrorStream(true)
                        .start();
                sessions.add(p);
                BufferedReader out =
                        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                assertThat(out.readLine()).isEqualTo("started");
            }
            // The master refuses the third session; ssh then falls back to a connection of its own
            // (and exits 0): a transport that must stay within MaxSessions counts its channels itself.
            long mark = TestHosts.logMark("login", TestHosts.SSH_PORT);
            Result third = run(TestHosts.ssh("-o", control, TestHosts.LOGIN, "true"));
            assertThat(third.output()).contains("Session open refused by peer");
            assertThat(TestHosts.publickeyLogins("login", TestHosts.SSH_PORT, mark))
                    .as("the fallback connection")
                    .isEqualTo(1);
        } finally {
            sessions.forEach(Process::destroyForcibly);
            run(TestHosts.ssh("-o", control, "-O", "exit", TestHosts.LOGIN));
        }
    }

    /**
     * ssh with ssh_config.bare and only this key (null: none, an agent's), so that the provisioned
     * one cannot get in instead.
     */
    private static ProcessBuilder bare(Path key, String alias, String command) {
        List<String> argv = new ArrayList<>(List.of("ssh", "-F", TestHosts.SSH_CONFIG_BARE.toString()));
        if (key != null) {
            argv.addAll(List.of("-o", "IdentitiesOnly=yes", "-i", key.toString()));
        }
        argv.addAll(List.of(alias, command));
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().remove("SSH_AUTH_SOCK");
        return pb;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file + "; run scripts/provision", e);
        }
    }

    private record Result(int exit, String output) {
        String ok() {
            assertThat(exit).as(output).isZero();
            return output;
        }
    }

    /** Runs to the end; stdout and stderr together, read from a file (a background ssh may keep a pipe open). */
    private static Result run(ProcessBuilder pb) {
        try {
            Path out = Files.createTempFile("amx-ssh", ".out");
            try {
                Process p = pb.redirectErrorStream(true)
                        .redirectOutput(out.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .start();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError("timed out: " + pb.command());
                }
                return new Result(p.exitValue(), Files.readString(out));
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + pb.command() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
