package io.automatix.faults;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.automatix.testing.RouterProcess;
import io.automatix.testing.Slurmdbd;
import io.automatix.testing.TestServices;

/**
 * Takes the real services down and brings them back as a crash or an operator would: the broker
 * and the database are stopped and started as processes, sshd's daemon and every login it serves
 * are killed, slurmdbd (SLURM's accounting) is stopped and started, and a running SLURM job is
 * killed with SIGKILL. Started daemons get no stdin or
 * stdout of ours, so they never hold the test's pipes open.
 */
final class Outages {

    private static final Path SSHD_CONFIG = TestServices.TEST_HOME.resolve("ssh/sshd_config");
    private static final Path SSHD_PID = TestServices.TEST_HOME.resolve("ssh/sshd.pid");

    private Outages() {}

    static void stopBroker() {
        TestServices.run("rabbitmqctl", "-q", "stop");
    }

    static void startBroker() {
        daemon("rabbitmq-server", "-detached");
        await(
                "RabbitMQ",
                () -> RouterProcess.listening(TestServices.AMQP_PORT)
                        && succeeds("rabbitmq-diagnostics", "-q", "ping"));
    }

    static void stopDatabase() {
        TestServices.run("pg_ctlcluster", "--skip-systemctl-redirect", postgresVersion(), "main", "stop", "-m", "fast");
    }

    static void startDatabase() {
        daemon("pg_ctlcluster", "--skip-systemctl-redirect", postgresVersion(), "main", "start");
        await("PostgreSQL", () -> RouterProcess.listening(TestServices.DB_PORT));
    }

    /** The daemon and every session it serves: running commands lose their connection too. */
    static void stopSshd() throws Exception {
        if (Files.exists(SSHD_PID)) {
            run("kill", Files.readString(SSHD_PID).strip());
        }
        run("pkill", "-KILL", "-f", "^sshd: " + TestServices.SSH_USER);
        await("sshd to stop", () -> !RouterProcess.listening(TestServices.SSH_PORT));
    }

    static void startSshd() {
        daemon("/usr/sbin/sshd", "-f", SSHD_CONFIG.toString());
        await("sshd", () -> RouterProcess.listening(TestServices.SSH_PORT));
    }

    /** sacct fails meanwhile; slurmctld keeps the jobs' records and sends them once slurmdbd is back. */
    static void stopSlurmdbd() throws Exception {
        Slurmdbd.stop();
    }

    static void startSlurmdbd() throws Exception {
        Slurmdbd.start();
    }

    /** SIGKILL to the ssh master process behind a ControlMaster socket; its pid, or empty when none was killed. */
    static Optional<String> killSshMaster(Path socket) throws Exception {
        if (!Files.exists(socket)) {
            return Optional.empty();
        }
        Process check = new ProcessBuilder("ssh", "-S", socket.toString(), "-O", "check", "master")
                .redirectErrorStream(true)
                .start();
        String answer = new String(check.getInputStream().readAllBytes());
        check.waitFor();
        Matcher m = Pattern.compile("pid=(\\d+)").matcher(answer);
        if (!m.find()) {
            return Optional.empty();
        }
        return succeeds("kill", "-KILL", m.group(1)) ? Optional.of("pid " + m.group(1)) : Optional.empty();
    }

    /** Starts whichever of the broker, the database, sshd and slurmdbd is not listening. */
    static void restoreAll() {
        if (!RouterProcess.listening(TestServices.AMQP_PORT)) {
            startBroker();
        }
        if (!RouterProcess.listening(TestServices.DB_PORT)) {
            startDatabase();
        }
        if (!RouterProcess.listening(TestServices.SSH_PORT)) {
            startSshd();
        }
        try {
            Slurmdbd.ensureRunning();
        } catch (Exception e) {
            throw new AssertionError("slurmdbd did not come back: " + e.getMessage(), e);
        }
    }

    /**
     * SIGKILL to a running job of this suite (its batch shell and everything under it), so it ends
     * without writing its outcome: the router learns of it only from SLURM. A first attempt is
     * retried by the job engine, a later one by its supervision. When none runs for 30 s, a pending
     * one is cancelled instead (SLURM's CANCELLED: lost to the router). Empty when there is neither.
     */
    static Optional<String> failSlurmJob(String tag, Random random) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            List<String[]> running = ours(tag, "RUNNING");
            if (!running.isEmpty()) {
                String[] job = running.get(random.nextInt(running.size()));
                TestServices.run("scancel", "--full", "--signal=KILL", job[0]);
                return Optional.of(job[1] + " (" + job[0] + ")");
            }
            if (System.nanoTime() > deadline) {
                List<String[]> pending = ours(tag, "PENDING");
                if (pending.isEmpty()) {
                    return Optional.empty();
                }
                String[] job = pending.get(random.nextInt(pending.size()));
                TestServices.run("scancel", job[0]);
                return Optional.of(job[1] + " (" + job[0] + ", cancelled while pending)");
            }
            Thread.sleep(200);
        }
    }

    /**
     * How many of these killed jobs the kill ended before their end: a job killed as its script
     * had just ended (SLURM's batch step COMPLETED, exit 0) ran to its end, and needs no retry.
     * Says how many kills came too late.
     */
    static int killsThatLanded(List<String> jobIds, String tag) {
        if (jobIds.isEmpty()) {
            return 0;
        }
        List<String> late = TestServices.run(
                        "sacct", "-n", "-P", "-j", String.join(",", jobIds), "-o", "JobID,State,ExitCode")
                .lines()
                .filter(l -> l.matches("[0-9]+\\.batch\\|COMPLETED\\|0:0"))
                .map(l -> l.substring(0, l.indexOf('.')))
                .toList();
        System.out.println("FaultSuite " + tag + ": " + jobIds.size() + " SLURM job(s) killed, " + late.size()
                + " of them as their script had just ended (" + late + ")");
        return jobIds.size() - late.size();
    }

    private static List<String[]> ours(String tag, String state) {
        return TestServices.run("squeue", "-h", "-t", state, "-o", "%i %j")
                .lines()
                .map(l -> l.strip().split(" ", 2))
                .filter(j -> j.length == 2 && j[1].contains(tag))
                .toList();
    }

    private static String postgresVersion() {
        String[] versions = new File("/etc/postgresql").list();
        if (versions == null || versions.length == 0) {
            throw new AssertionError("no PostgreSQL cluster under /etc/postgresql; run scripts/provision");
        }
        return Arrays.stream(versions)
                .max(Comparator.comparingInt(Integer::parseInt))
                .orElseThrow();
    }

    /** In a session of its own (setsid), so that nothing that ends the test's process group ends it. */
    private static void daemon(String... command) {
        List<String> detached = new ArrayList<>(List.of("setsid", "--wait"));
        detached.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(detached)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                throw new AssertionError("timed out: " + String.join(" ", command));
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command[0] + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A command whose failure is expected at times (nothing to kill): the exit status is ignored. */
    private static void run(String... command) throws Exception {
        new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start()
                .waitFor(30, TimeUnit.SECONDS);
    }

    private static boolean succeeds(String... command) {
        try {
            Process p = new ProcessBuilder(command)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private static void await(String what, java.util.function.BooleanSupplier ready) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!ready.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not come back within 120 s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
