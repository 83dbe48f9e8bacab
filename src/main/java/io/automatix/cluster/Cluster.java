package io.automatix.cluster;

import java.nio.file.Path;

import io.automatix.ssh.SshTarget;

/**
 * A named execution site from configuration ({@code automatix.clusters.<name>.*}). A cluster
 * without an SSH target runs its jobs on the router's own host.
 */
public record Cluster(String name, String scheduler, SshTarget ssh, Path scratch) {

    public boolean remote() {
        return ssh != null;
    }
}
