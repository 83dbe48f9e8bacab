package io.automatix.workflow;

import io.automatix.cluster.Cluster;

/**
 * Where a session lives on its cluster: {@code <scratch>/sessions/<id>/} holds its services'
 * namespace directories ({@code services/<namespace>}) and its steps' files
 * ({@code steps/<step>.<instance>/jobs}). The id, not the user's names, makes the path.
 */
final class SessionFiles {

    private SessionFiles() {}

    static String sessionDirectory(Cluster cluster, long sessionId) {
        return cluster.scratch()
                .resolve("sessions")
                .resolve(String.valueOf(sessionId))
                .toString();
    }

    static String serviceDirectory(Cluster cluster, long sessionId, String namespace) {
        return sessionDirectory(cluster, sessionId) + "/services/" + namespace;
    }

    static String stepDirectory(Cluster cluster, long sessionId, String step, int instance) {
        return sessionDirectory(cluster, sessionId) + "/steps/" + step + "." + instance;
    }

    static String jobDirectory(Cluster cluster, long sessionId, String step, int instance) {
        return stepDirectory(cluster, sessionId, step, instance) + "/jobs";
    }
}
