package io.automatix.transfer;

import java.util.ArrayList;
import java.util.List;

import io.automatix.ssh.ShellQuote;
import io.automatix.ssh.Transport;

/**
 * The rsync argument list for one copy. Archive mode, partial files kept (a retried or reclaimed
 * transfer resumes), whole-transfer progress on stdout, and {@code --protect-args} so that paths
 * reach the remote rsync without a second round of shell parsing.
 */
public final class RsyncCommand {

    private final List<String> argv =
            new ArrayList<>(List.of("rsync", "-a", "--partial", "--protect-args", "--info=progress2"));

    private RsyncCommand(List<String> options) {
        argv.addAll(options);
    }

    /** @param options operator-configured extra options (automatix.transfer.rsync-options) */
    public static RsyncCommand create(List<String> options) {
        return new RsyncCommand(options);
    }

    /** Remote side reached with this ssh command line (rsync -e). */
    public RsyncCommand via(List<String> sshCommand) {
        argv.add("-e");
        argv.add(ShellQuote.command(sshCommand));
        return this;
    }

    /** Remote side reached with an operator-configured ssh command string (push mode). */
    public RsyncCommand via(String sshCommand) {
        argv.add("-e");
        argv.add(sshCommand);
        return this;
    }

    public RsyncCommand dryRun() {
        argv.add("--dry-run");
        argv.add("--stats");
        return this;
    }

    /** Copies the contents of directory {@code from} into directory {@code to}. */
    public List<String> copy(String from, String to) {
        List<String> result = new ArrayList<>(argv);
        result.add("--");
        result.add(directory(from));
        result.add(directory(to));
        return result;
    }

    /** {@code destination:path} for a remote directory reached by the transport. */
    public static String remote(Transport transport, String path) {
        return transport.destination() + ":" + path;
    }

    private static String directory(String path) {
        return path.endsWith("/") ? path : path + "/";
    }
}
