package io.automatix.workflow;

import java.time.Duration;
import java.util.List;

/**
 * One step of a workflow: where it runs ({@code location}), what it runs (a {@code command} or a
 * {@code template}, the other one null), the ephemeral services it uses, the steps it waits for, and
 * its parameters when it fans out (null: not parametric). {@code walltime} is null when not given; {@code retries}: how often a failed job of the step is submitted again (as in pipelines; 0 unless given).
 * {@code throttle}: at most this many of a parametric step's jobs run at once in each of its job
 * arrays (null: no limit).
 */
public record WdfStep(
        String name,
        List<String> location,
        String command,
        String template,
        List<ServiceUse> services,
        List<String> after,
        List<String> parameters,
        Duration walltime,
        int retries,
        Integer throttle) {

    /** The step's use of an ephemeral service, and the data movers that run around it. */
    public record ServiceUse(String name, Access access, List<String> dataMovers) {}

    /** How a step uses a service: read only or read-write. */
    public enum Access {
        RO,
        RW
    }

    /** Whether the step runs once per parameter value. */
    public boolean parametric() {
        return parameters != null;
    }

    /** The names of the data movers of all its service uses, in order. */
    public List<String> dataMovers() {
        return services.stream().flatMap(u -> u.dataMovers().stream()).toList();
    }
}
