package io.automatix.workflow;

/**
 * IOSEA's states of a step instance: starting (waiting for the steps it is after, then its
 * step_start data movers), running (its jobs), stopping (step_stop data movers), stopped with a
 * {@link StepOutcome}.
 */
public enum StepStatus implements StoredState {
    STARTING,
    RUNNING,
    STOPPING,
    STOPPED
}
