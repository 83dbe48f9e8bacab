package io.automatix.ssh;

import java.nio.file.Path;

/** A host the router reaches over SSH: who to log in as, with which key, trusting which host keys. */
public record SshTarget(String host, int port, String user, Path keyFile, Path knownHosts) {

    @Override
    public String toString() {
        return user + "@" + host + ":" + port;
    }
}
