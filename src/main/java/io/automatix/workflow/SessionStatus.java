package io.automatix.workflow;

/** Where a session is: its services being set up, active, stopping (its steps ending), then stopped or failed. */
public enum SessionStatus implements StoredState {
    STARTING,
    ACTIVE,
    STOPPING,
    STOPPED,
    FAILED
}
