package io.automatix.ssh;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A host the router reaches over SSH: who to log in as, with which key, trusting which host keys. */
public record SshTarget(String host, int port, String user, Path keyFile, Path knownHosts) {

    /**
     * From the {@code host, port, user, key, known-hosts} keys of one configured host; null when it
     * has no host (it is this machine).
     */
    public static SshTarget fromSettings(Map<String, String> settings) {
        String host = settings.get("host");
        if (host == null || host.isEmpty()) {
            return null;
        }
        String home = System.getProperty("user.home");
        return new SshTarget(
                host,
                Integer.parseInt(settings.getOrDefault("port", "22")),
                settings.getOrDefault("user", System.getProperty("user.name")),
                Path.of(settings.getOrDefault("key", home + "/.ssh/id_ed25519")),
                Path.of(settings.getOrDefault("known-hosts", home + "/.ssh/known_hosts")));
    }

    /** The ssh(1) command line that reaches this target with the same key and known_hosts (for rsync -e). */
    public List<String> sshCommand() {
        return List.of(
                "ssh",
                "-p",
                String.valueOf(port),
                "-i",
                keyFile.toString(),
                "-o",
                "BatchMode=yes",
                "-o",
                "StrictHostKeyChecking=yes",
                "-o",
                "UserKnownHostsFile=" + knownHosts,
                "-o",
                "ConnectTimeout=10");
    }

    @Override
    public String toString() {
        return user + "@" + host + ":" + port;
    }
}
