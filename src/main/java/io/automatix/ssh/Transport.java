package io.automatix.ssh;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How the router reaches one host. Commands go through {@link #shell()}; rsync and file streams run
 * the {@link #sshCommand()} to {@link #destination()}, so both take the same route (the same SSH
 * configuration, hops and keys, and with {@code openssh} the same master connection).
 */
public interface Transport {

    /** {@code mina}: an in-process MINA SSHD connection; {@code openssh}: the system ssh through a ControlMaster socket. */
    enum Kind {
        MINA,
        OPENSSH;

        static Kind of(String setting, String value) {
            for (Kind kind : values()) {
                if (kind.name().toLowerCase(Locale.ROOT).equals(value)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException(
                    "bad setting '" + setting + "': '" + value + "' is not one of mina, openssh");
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Runs commands on the host. */
    Shell shell();

    /** The ssh(1) command line (without the destination) that reaches the host the same way (rsync -e). */
    List<String> sshCommand();

    /** What follows the ssh command: the configuration's alias, or {@code user@host}. */
    String destination();

    /**
     * A shell of this host for the programs that open a session of their own through {@link
     * #sshCommand()} (rsync, a file stream): where they share the transport's connection, each holds
     * one of its max-sessions slots while it runs, as the transport's own commands do.
     */
    default Shell sessionsOf(Shell local) {
        return local;
    }

    /**
     * Why only a person can reach the host now ({@code login=interactive} and its connection is
     * down), else empty. Looks, never connects.
     */
    default Optional<NeedsLogin> needsLogin() {
        return Optional.empty();
    }
}
