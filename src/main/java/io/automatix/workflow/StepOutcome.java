package io.automatix.workflow;

/** How a stopped step ended. */
public enum StepOutcome implements StoredState {
    SUCCEEDED,
    FAILED,
    CANCELLED
}
