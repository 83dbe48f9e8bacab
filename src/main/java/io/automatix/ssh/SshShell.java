package io.automatix.ssh;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs commands on an SSH target. The remote side enforces the time limit too ({@code timeout}),
 * so a command whose channel we abandon does not run on.
 */
final class SshShell implements Shell {

    private static final Duration GRACE = Duration.ofSeconds(10);

    private final SshSessions sessions;
    private final SshTarget target;

    SshShell(SshSessions sessions, SshTarget target) {
        this.sessions = sessions;
        this.target = target;
    }

    @Override
    public CommandResult run(List<String> argv, byte[] stdin, Duration timeout, Consumer<String> stdoutLines)
            throws IOException {
        List<String> limited =
                new ArrayList<>(List.of("timeout", "-k", "5", String.valueOf(Math.max(1, timeout.toSeconds()))));
        limited.addAll(argv);
        CommandResult result =
                sessions.exec(target, ShellQuote.command(limited), stdin, timeout.plus(GRACE), stdoutLines);
        if (result.exitCode() == 124) { // timeout(1) stopped it
            return new CommandResult(124, result.stdout(), result.stderr(), true);
        }
        return result;
    }

    @Override
    public String describe() {
        return target.toString();
    }
}
