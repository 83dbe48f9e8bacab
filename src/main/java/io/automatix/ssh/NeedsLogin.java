package io.automatix.ssh;

import java.time.Instant;

/**
 * A cluster with {@code login=interactive} whose connection is down: only a person can open it
 * again ({@code automatix login <cluster>}), the router never tries. An {@link SshFailure}, so the
 * work that met it waits and is retried by its next tick, as for an unreachable host.
 */
public final class NeedsLogin extends SshFailure {

    private final Instant since;
    private final String command;

    public NeedsLogin(SshTarget target, Instant since, String command) {
        super(
                target,
                "needs a login since " + since + (command == null ? "" : " (waiting: " + command + ")"),
                "run: automatix login " + target.name());
        this.since = since;
        this.command = command;
    }

    /** When the connection was found down. */
    public Instant since() {
        return since;
    }

    /** The command that found it down (null: a check did). */
    public String command() {
        return command;
    }
}
