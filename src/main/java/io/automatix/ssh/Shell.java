package io.automatix.ssh;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs a command, given as an argument list, on one host: over SSH ({@link SshShell}) or on the
 * router's own host ({@link LocalShell}). Every command has a wall-clock limit.
 */
public interface Shell {

    /**
     * @param stdoutLines receives each line of stdout as it arrives (lines end at \n or \r, so
     *                    progress meters are seen while they update); may be null
     * @throws IOException when the host cannot be reached: worth a retry
     */
    default CommandResult run(List<String> argv, Duration timeout, Consumer<String> stdoutLines) throws IOException {
        return run(argv, null, timeout, stdoutLines);
    }

    default CommandResult run(List<String> argv, Duration timeout) throws IOException {
        return run(argv, null, timeout, null);
    }

    /**
     * @param stdin what the command reads on its standard input (null: nothing). A script for
     *              {@code sh -s} goes here rather than in argv, which has per-argument size limits.
     */
    CommandResult run(List<String> argv, byte[] stdin, Duration timeout, Consumer<String> stdoutLines)
            throws IOException;

    /** For logs: where commands run. */
    String describe();
}
