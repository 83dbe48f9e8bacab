package io.automatix.ssh;

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
        List<String> argv = new ArrayList<>(List.of("ssh"));
        if (target.sshConfig() != null) {
            argv.addAll(List.of("-F", target.sshConfig().toString()));
        }
        if (target.port() != null) {
            argv.addAll(List.of("-p", String.valueOf(target.port())));
        }
        if (target.keyFile() != null) {
            argv.addAll(List.of("-i", target.keyFile().toString()));
        }
        argv.addAll(List.of(
                "-o",
                "BatchMode=yes",
                "-o",
                "StrictHostKeyChecking=yes",
                "-o",
                "UserKnownHostsFile=" + target.knownHosts(),
                "-o",
                "ConnectTimeout=10"));
        return argv;
    }

    @Override
    public String destination() {
        return target.user() == null ? target.host() : target.user() + "@" + target.host();
    }
}
