package io.automatix.workflow;

/** A session's service: waiting to be allocated, allocated, then stopped (released) or failed. */
public enum ServiceStatus implements StoredState {
    WAITING,
    ALLOCATED,
    STOPPED,
    FAILED
}
