package io.automatix.ssh;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Commands over the router's own MINA SSHD connection; rsync and streams through ssh(1) with the same settings. */
final class MinaTransport implements Transport {

    private final SshSessions sessions;
    private final SshTarget target;

    MinaTransport(SshSessions sessions, SshTarget target) {
        this.sessions = sessions;
        this.target = target;
    }

    @Override
    public Shell shell() {
        return sessions.shell(target);
    }

    @Override
    public List<String> sshCommand() {
        List<String> argv = new ArrayList<>();
        boolean passphrase = AskpassScript.needed(target);
        if (passphrase) {
            argv.add("env");
            AskpassScript.environment(target).forEach((k, v) -> argv.add(k + "=" + v));
        }
        argv.add("ssh");
        if (target.sshConfig() != null) {
            argv.addAll(List.of("-F", target.sshConfig().toString()));
        }
        if (target.port() != null) {
            argv.addAll(List.of("-p", String.valueOf(target.port())));
        }
        if (target.keyFile() != null) {
            argv.addAll(List.of("-i", target.keyFile().toString()));
        }
        if (target.agent() != null) {
            argv.addAll(List.of("-o", "IdentityAgent=" + target.agent()));
        }
        // as for the router's own connection: the configuration's UserKnownHostsFile unless one is set
        Path knownHosts = SshRoute.explicitKnownHosts(target);
        if (knownHosts != null || target.sshConfig() == null) {
            argv.addAll(List.of("-o", "UserKnownHostsFile=" + target.knownHosts()));
        }
        // BatchMode would keep ssh from asking the askpass program for the passphrase; only keys are tried then
        argv.addAll(
                passphrase
                        ? List.of("-o", "BatchMode=no", "-o", "PreferredAuthentications=publickey")
                        : List.of("-o", "BatchMode=yes"));
        argv.addAll(List.of("-o", "StrictHostKeyChecking=yes", "-o", "ConnectTimeout=10"));
        return argv;
    }

    @Override
    public String destination() {
        return target.user() == null ? target.host() : target.user() + "@" + target.host();
    }
}
