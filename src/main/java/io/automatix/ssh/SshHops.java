package io.automatix.ssh;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The ProxyJump hops on the way to a target, as ssh(1) resolves the target's SSH configuration
 * ({@code ssh -G}), and a check of each: hop i is reached through hops 0..i-1, so a failure names
 * the first hop that cannot be passed.
 */
public final class SshHops {

    private static final Shell LOCAL = new LocalShell();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private SshHops() {}

    /** The jump hosts in order (none when the target is reached directly). */
    public static List<String> of(SshTarget target) throws IOException {
        List<String> argv = new ArrayList<>(List.of("ssh", "-G"));
        config(target, argv);
        argv.add(target.host());
        CommandResult r = LOCAL.run(argv, TIMEOUT);
        if (!r.succeeded()) {
            throw new SshFailure(
                    target,
                    "ssh -G cannot read the SSH configuration: " + r.summary(),
                    "correct " + (target.sshConfig() == null ? "the SSH configuration" : target.sshConfig()));
        }
        return r.stdout()
                .lines()
                .filter(line -> line.startsWith("proxyjump "))
                .findFirst()
                .map(line -> Arrays.asList(
                        line.substring("proxyjump ".length()).strip().split(",")))
                .orElse(List.of());
    }

    /** Logs in to hop {@code i} through the hops before it, without a terminal, and runs {@code true} there. */
    public static CommandResult reach(SshTarget target, List<String> hops, int i) throws IOException {
        List<String> argv = new ArrayList<>(List.of("ssh"));
        config(target, argv);
        argv.addAll(List.of(
                "-o", "BatchMode=yes", "-o", "ControlPath=none", "-o", "ConnectTimeout=10", "-o", "ControlMaster=no"));
        if (i == 0) {
            argv.addAll(List.of("-o", "ProxyJump=none"));
        } else {
            argv.addAll(List.of("-J", String.join(",", hops.subList(0, i))));
        }
        argv.addAll(List.of("--", hops.get(i), "true"));
        return LOCAL.run(argv, TIMEOUT);
    }

    private static void config(SshTarget target, List<String> argv) {
        if (target.sshConfig() != null) {
            argv.addAll(List.of("-F", target.sshConfig().toString()));
        }
    }
}
