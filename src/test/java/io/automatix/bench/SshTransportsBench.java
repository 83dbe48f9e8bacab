package io.automatix.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.automatix.ssh.CommandResult;
import io.automatix.ssh.LocalShell;
import io.automatix.ssh.Shell;
import io.automatix.ssh.SshTarget;
import io.automatix.ssh.Transport;
import io.automatix.ssh.Transports;
import io.automatix.transfer.RsyncCommand;

/**
 * Issue 17's benchmark, through the bastion of the provisioned test hosts (scripts/test-hosts) to
 * the login host: N {@code true} commands over the mina transport, over the openssh transport's
 * master connection, and with a new ssh connection per command (as Cylc does); then rsync of one
 * large file and of many small files through each transport against plain rsync over the same hops.
 * Run by bench/ssh-transports (not a test).
 */
public final class SshTransportsBench {

    private static final Duration TIMEOUT = Duration.ofMinutes(30);
    private static final Shell LOCAL = new LocalShell();
    private static final int ROUNDS = Integer.getInteger("rounds", 3);

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int mib = args.length > 1 ? Integer.parseInt(args[1]) : 1024;
        int files = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        Path hosts = Path.of(System.getenv().getOrDefault("AUTOMATIX_TEST_HOME", "/var/lib/automatix-test"), "hosts");
        String config = hosts.resolve("ssh_config").toString();
        Path work = Files.createTempDirectory("automatix-bench-transports");
        Transports transports = new Transports(Duration.ofSeconds(10), work.resolve("data"), Clock.systemUTC());
        transports.start();
        try {
            Transport mina = transports.of(target("mina", config));
            Transport openssh = transports.of(target("openssh", config));
            System.out.printf("commands: %d x true, this host -> amx-bastion -> amx-login%n", n);
            double minaMs = commands(mina.shell(), n);
            double masterMs = commands(openssh.shell(), n);
            List<String> direct = List.of("ssh", "-F", config, "-o", "ControlPath=none", "amx-login", "true");
            double perConnectionMs = commands(LOCAL, direct, Math.max(1, n / 4));
            System.out.printf("  mina (one in-process connection):        %7.1f ms/command%n", minaMs);
            System.out.printf("  openssh through its master connection:   %7.1f ms/command%n", masterMs);
            System.out.printf(
                    "  ssh, a new connection per command:       %7.1f ms/command (%d commands)%n",
                    perConnectionMs, Math.max(1, n / 4));
            System.out.printf("  ratio openssh-master / mina:           %.2fx (target <= 2x)%n", masterMs / minaMs);
            System.out.printf(
                    "  ratio new-connection / openssh-master: %.1fx (target >= 20x)%n", perConnectionMs / masterMs);

            Path big = work.resolve("big");
            Path small = work.resolve("small");
            Files.createDirectories(big);
            Files.createDirectories(small);
            check(
                    LOCAL.run(
                            List.of(
                                    "sh",
                                    "-c",
                                    "head -c " + mib + "M /dev/urandom > \"$1\"/data.bin",
                                    "sh",
                                    big.toString()),
                            TIMEOUT),
                    "making the large file");
            check(
                    LOCAL.run(
                            List.of(
                                    "sh",
                                    "-c",
                                    "cd \"$1\" && i=0; while [ $i -lt " + files
                                            + " ]; do head -c 1024 /dev/urandom > f$i; i=$((i+1)); done",
                                    "sh",
                                    small.toString()),
                            TIMEOUT),
                    "making the small files");
            // the login host shares this host's disks; its rsync runs as the test account
            Path shared = Files.createTempDirectory("automatix-bench-remote");
            Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
            String remote = shared.resolve("copy").toString();
            for (Path source : List.of(big, small)) {
                String what = source == big ? mib + " MiB in one file" : files + " files of 1 KiB";
                List<List<String>> ways = List.of(
                        plainRsync(config, source, remote),
                        RsyncCommand.create(List.of())
                                .via(mina.sshCommand())
                                .copy(source.toString(), RsyncCommand.remote(mina, remote)),
                        RsyncCommand.create(List.of())
                                .via(openssh.sshCommand())
                                .copy(source.toString(), RsyncCommand.remote(openssh, remote)));
                double[] median = medians(ways, remote);
                System.out.printf(
                        "rsync of %s to amx-login (median of %d rounds, each way first in turn):%n", what, ROUNDS);
                System.out.printf("  plain rsync -e 'ssh -F ssh_config':       %6.2f s%n", median[0]);
                System.out.printf(
                        "  through the mina transport's ssh command: %6.2f s (%.2fx of plain)%n",
                        median[1], median[0] / median[1]);
                System.out.printf(
                        "  through the openssh master:               %6.2f s (%.2fx of plain; target >= 0.9x)%n",
                        median[2], median[0] / median[2]);
            }
        } finally {
            transports.stop();
            LOCAL.run(
                    List.of("sh", "-c", "rm -rf -- \"$1\" /tmp/automatix-bench-remote*", "sh", work.toString()),
                    TIMEOUT);
        }
    }

    /** Each way's median seconds over the rounds; round r starts with way r (disk caches favour the first). */
    private static double[] medians(List<List<String>> ways, String remote) throws IOException {
        double[][] seconds = new double[ways.size()][ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            for (int k = 0; k < ways.size(); k++) {
                int way = (round + k) % ways.size();
                seconds[way][round] = rsync(ways.get(way), remote);
            }
        }
        double[] median = new double[ways.size()];
        for (int way = 0; way < ways.size(); way++) {
            Arrays.sort(seconds[way]);
            median[way] = seconds[way][ROUNDS / 2];
        }
        return median;
    }

    private static SshTarget target(String transport, String config) {
        return SshTarget.fromSettings(
                "bench-" + transport,
                "bench.",
                Map.of("host", "amx-login", "ssh-config", config, "transport", transport));
    }

    /** Mean milliseconds per command, after one to connect (a running router is connected). */
    private static double commands(Shell shell, int n) throws IOException {
        return commands(shell, List.of("true"), n);
    }

    private static double commands(Shell shell, List<String> argv, int n) throws IOException {
        check(shell.run(argv, TIMEOUT), "warm-up");
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            check(shell.run(argv, TIMEOUT), String.join(" ", argv));
        }
        return (System.nanoTime() - start) / 1e6 / n;
    }

    private static List<String> plainRsync(String config, Path source, String remote) {
        return new ArrayList<>(
                List.of("rsync", "-a", "-e", "ssh -F " + config, source + "/", "amx-login:" + remote + "/"));
    }

    /** Seconds for one copy into an emptied target (the login host shares this host's disks). */
    private static double rsync(List<String> argv, String remote) throws IOException {
        check(LOCAL.run(List.of("rm", "-rf", "--", remote), TIMEOUT), "emptying the target");
        long start = System.nanoTime();
        check(LOCAL.run(argv, TIMEOUT), "rsync");
        return (System.nanoTime() - start) / 1e9;
    }

    private static void check(CommandResult r, String what) {
        if (!r.succeeded()) {
            throw new IllegalStateException(what + " failed: " + r.summary());
        }
    }
}
