package io.automatix.process;

import io.automatix.cluster.Cluster;

/**
 * Where a job's files are and what it is called: {@code <scratch>/<run>/.automatix/<name>.sh|.out|.status}
 * (the cluster's {@link io.automatix.cluster.ScratchLayout} may say otherwise),
 * the name being {@code <run>.<step>.<attempt>} (as the SQL function job_name() writes it).
 */
public final class JobFiles {

    private JobFiles() {}

    public static String runDirectory(Cluster cluster, String runName) {
        return cluster.runDirectory(runName);
    }

    public static String directory(Cluster cluster, String runName) {
        return cluster.jobDirectory(runName);
    }

    public static String name(String runName, String step, int attempt) {
        return runName + "." + step + "." + attempt;
    }
}
