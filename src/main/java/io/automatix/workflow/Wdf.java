package io.automatix.workflow;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An IOSEA workflow description file (WDF), as read by {@link WdfParser}: its ephemeral services, its
 * data movers and its steps, in file order. {@code deferredVariables} maps a step's name to the
 * {@code {{ VAR }}} it uses that were not defined when it was read leniently (they are given at run
 * time); it is empty after a strict read.
 */
public record Wdf(
        String name,
        List<WdfService> services,
        List<DataMover> dataMovers,
        List<WdfStep> steps,
        Map<String, Set<String>> deferredVariables) {

    public Optional<WdfStep> step(String name) {
        return steps.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public Optional<WdfService> service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public Optional<DataMover> dataMover(String name) {
        return dataMovers.stream().filter(d -> d.name().equals(name)).findFirst();
    }
}
