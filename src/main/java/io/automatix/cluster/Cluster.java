package io.automatix.cluster;

import java.nio.file.Path;

import io.automatix.scheduler.SiteSettings;
import io.automatix.ssh.SshTarget;

/**
 * A named execution site from configuration ({@code automatix.clusters.<name>.*}). A cluster
 * without an SSH target runs its jobs on the router's own host. {@code maxJobs} caps its jobs in
 * flight; {@code pushUrl} is the AMQP URL its compute nodes report job status to (null: status
 * files and polling only). {@code supervisionLevel}: 0 off, 1 notify, 2 automatic (null: the default).
 * {@code maxArraySize}: the scheduler's MaxArraySize as configured (null: asked of the scheduler).
 * {@code layout} says where a run's files and its job files are under {@code scratch}; {@code site}
 * how the site wants its jobs (partitions, account, preamble...).
 */
public record Cluster(
        String name,
        String scheduler,
        SshTarget ssh,
        Path scratch,
        int maxJobs,
        String pushUrl,
        Integer supervisionLevel,
        Integer maxArraySize,
        ScratchLayout layout,
        SiteSettings site) {

    public boolean remote() {
        return ssh != null;
    }

    /** Where a run's files are on this cluster. */
    public String runDirectory(String run) {
        return layout.runDirectory(scratch.toString(), run);
    }

    /** Where a run's job scripts, outputs and status files are on this cluster. */
    public String jobDirectory(String run) {
        return layout.jobDirectory(scratch.toString(), run);
    }
}
