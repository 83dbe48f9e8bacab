package io.automatix.workflow;

/** One data mover's pass: running, then done, failed or cancelled. */
public enum MovementStatus implements StoredState {
    RUNNING,
    DONE,
    FAILED,
    CANCELLED
}
