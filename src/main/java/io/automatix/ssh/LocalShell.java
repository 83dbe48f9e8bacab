package io.automatix.ssh;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Runs commands as processes of the router's own host (the {@code local} cluster, relayed transfers). */
public final class LocalShell implements Shell {

    private final Map<String, String> environment;

    public LocalShell() {
        this(Map.of());
    }

    /** @param environment set in each command's environment over the router's; a null value removes the variable */
    public LocalShell(Map<String, String> environment) {
        this.environment = new HashMap<>(environment);
    }

    @Override
    public CommandResult run(List<String> argv, byte[] stdin, Duration timeout, Consumer<String> stdoutLines)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(argv);
        environment.forEach((name, value) -> {
            if (value == null) {
                builder.environment().remove(name);
            } else {
                builder.environment().put(name, value);
            }
        });
        if (stdin == null) {
            builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        Process process = builder.start();
        LineCapture out = new LineCapture(stdoutLines);
        LineCapture err = new LineCapture(null);
        Thread outPump = pump(process.getInputStream(), out);
        Thread errPump = pump(process.getErrorStream(), err);
        if (stdin != null) {
            try (OutputStream in = process.getOutputStream()) {
                in.write(stdin);
            } catch (IOException e) {
                // the command exited without reading all of it; its exit status tells
            }
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                return new CommandResult(-1, out.text(), err.text(), true);
            }
            outPump.join(10_000);
            errPump.join(10_000);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + argv.get(0), e);
        }
        return new CommandResult(process.exitValue(), out.text(), err.text(), false);
    }

    /** A thread per stream: the common pool is too small to block on pipes. */
    private static Thread pump(InputStream in, OutputStream out) {
        Thread t = new Thread(
                () -> {
                    try (in) {
                        in.transferTo(out);
                    } catch (IOException e) {
                        // the process went away; what arrived is kept
                    }
                },
                "local-shell-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public String describe() {
        return "this host";
    }
}
