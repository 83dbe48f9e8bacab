package io.automatix.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A login node of the machine's SLURM as a site without accounting has it: an sshd of its own on
 * loopback (the test sshd's configuration on another port) that sets {@code SLURM_CONF} for every
 * session to a copy of slurm.conf with {@code AccountingStorageType=accounting_storage/none}. Its
 * sacct then answers "Slurm accounting storage is disabled", as at such a site, while squeue and
 * sbatch reach the same slurmctld; the machine's accounting stays on for every other test. Closing
 * it stops the sshd it started (by its pid).
 */
public final class LoginNodeWithoutAccounting implements AutoCloseable {

    private final Path dir;
    private final int port;
    private final Path pidFile;

    private LoginNodeWithoutAccounting(Path dir, int port) {
        this.dir = dir;
        this.port = port;
        this.pidFile = dir.resolve("sshd.pid");
    }

    /** Writes the configurations, starts the sshd and waits until it listens. */
    public static LoginNodeWithoutAccounting start() throws IOException, InterruptedException {
        Path dir = TestServices.sharedDirectory("login-no-accounting", false);
        LoginNodeWithoutAccounting node = new LoginNodeWithoutAccounting(dir, TestServices.freePort());
        Path slurmConf = dir.resolve("slurm.conf");
        Files.writeString(
                slurmConf,
                Files.readString(Path.of("/etc/slurm/slurm.conf"))
                        .replaceAll("(?m)^AccountingStorage(Host|Enforce|Port)=.*\\n", "")
                        .replaceAll("(?m)^AccountingStorageType=.*$", "AccountingStorageType=accounting_storage/none"));
        Files.setPosixFilePermissions(slurmConf, PosixFilePermissions.fromString("rw-r--r--"));
        String sshd = Files.readString(TestServices.TEST_HOME.resolve("ssh/sshd_config"))
                .replaceAll("(?m)^Port .*$", "Port " + node.port)
                .replaceAll("(?m)^PidFile .*$", "PidFile " + node.pidFile);
        Path sshdConfig = dir.resolve("sshd_config");
        Files.writeString(sshdConfig, sshd + "SetEnv SLURM_CONF=" + slurmConf + "\n");
        String hostKey = Files.readString(TestServices.TEST_HOME.resolve("ssh/host_ed25519.pub"))
                .strip()
                .replaceFirst("^(\\S+ \\S+).*", "$1");
        Files.writeString(node.knownHosts(), "[127.0.0.1]:" + node.port + " " + hostKey + "\n");
        Process p = new ProcessBuilder("/usr/sbin/sshd", "-f", sshdConfig.toString())
                .redirectErrorStream(true)
                .start();
        String said = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("the login node's sshd did not start: " + said);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!RouterProcess.listening(node.port)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the login node's sshd does not listen on " + node.port);
            }
            Thread.sleep(100);
        }
        return node;
    }

    public int port() {
        return port;
    }

    public Path knownHosts() {
        return dir.resolve("known_hosts");
    }

    @Override
    public void close() throws Exception {
        if (Files.exists(pidFile)) {
            new ProcessBuilder("kill", Files.readString(pidFile).strip())
                    .inheritIO()
                    .start()
                    .waitFor(10, TimeUnit.SECONDS);
        }
    }
}
