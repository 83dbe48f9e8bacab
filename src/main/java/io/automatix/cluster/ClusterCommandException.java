package io.automatix.cluster;

/** A route's cluster command was refused, or ran and failed: the message names cluster, command and what it said. */
public final class ClusterCommandException extends RuntimeException {

    public ClusterCommandException(String message) {
        super(message);
    }
}
