package io.automatix.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The machine's slurmdbd (SLURM's accounting), stopped and started as a crash and an operator
 * would: SIGTERM to the process its pid file names, then {@code /usr/sbin/slurmdbd} again, ready
 * once {@code sacctmgr} answers. slurmctld keeps what it would have sent meanwhile and sends it
 * when slurmdbd is back. Other tests' jobs share this slurmdbd: keep each outage short, and call
 * {@link #ensureRunning()} in a finally.
 */
public final class Slurmdbd {

    public static final int PORT = 6819;
    private static final Path PID = Path.of("/run/slurmdbd.pid");

    private Slurmdbd() {}

    /** Stops slurmdbd and waits until its port is closed: sacct then fails ("Connection refused"). */
    public static void stop() throws IOException, InterruptedException {
        if (Files.exists(PID)) {
            String pid = Files.readString(PID).strip();
            if (pid.matches("[0-9]+")) {
                new ProcessBuilder("kill", pid).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
            }
        }
        await("slurmdbd to stop", Duration.ofSeconds(30), () -> !RouterProcess.listening(PORT));
    }

    /** Starts slurmdbd (in a session of its own, so that nothing ending the test's processes ends it) and waits until it answers. */
    public static void start() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("setsid", "--wait", "/usr/sbin/slurmdbd")
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("/usr/sbin/slurmdbd did not return within 60 s");
        }
        await("slurmdbd to answer sacctmgr", Duration.ofSeconds(60), Slurmdbd::answers);
    }

    /** Starts slurmdbd unless it answers: a test that stopped it leaves it running whatever happened. */
    public static void ensureRunning() throws IOException, InterruptedException {
        if (!RouterProcess.listening(PORT) || !answers()) {
            start();
        }
    }

    public static boolean answers() {
        try {
            Process p = new ProcessBuilder("sacctmgr", "-n", "list", "cluster")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void await(String what, Duration limit, java.util.function.BooleanSupplier done)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + limit.toSeconds() + " s for " + what);
            }
            Thread.sleep(200);
        }
    }
}
