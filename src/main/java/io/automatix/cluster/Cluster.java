package io.automatix.cluster;

import java.nio.file.Path;

import io.automatix.ssh.SshTarget;

/**
 * A named execution site from configuration ({@code automatix.clusters.<name>.*}). A cluster
 * without an SSH target runs its jobs on the router's own host. {@code maxJobs} caps its jobs in
 * flight; {@code pushUrl} is the AMQP URL its compute nodes report job status to (null: status
 * files and polling only). {@code supervisionLevel}: 0 off, 1 notify, 2 automatic (null: the default).
 * {@code maxArraySize}: the scheduler's MaxArraySize as configured (null: asked of the scheduler).
 */
public record Cluster(
        String name,
        String scheduler,
        SshTarget ssh,
        Path scratch,
        int maxJobs,
        String pushUrl,
        Integer supervisionLevel,
        Integer maxArraySize) {

    public boolean remote() {
        return ssh != null;
    }
}
