package io.automatix.scheduler;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import io.automatix.ssh.Shell;

/** The batch systems Automatix drives, by the name a cluster's {@code scheduler} setting gives. */
public final class BatchSystems {

    /** A new batch system is one more here, with its class and its shell functions. */
    private static final Map<String, BatchSystem> BY_NAME = byName(new SlurmBatchSystem(), new LocalBatchSystem());

    private BatchSystems() {}

    private static Map<String, BatchSystem> byName(BatchSystem... systems) {
        TreeMap<String, BatchSystem> byName = new TreeMap<>();
        Stream.of(systems).forEach(s -> byName.put(s.name(), s));
        return Collections.unmodifiableSortedMap(byName);
    }

    /** The known names, sorted. */
    public static Set<String> names() {
        return BY_NAME.keySet();
    }

    public static BatchSystem get(String name) {
        BatchSystem system = BY_NAME.get(name);
        if (system == null) {
            throw new IllegalArgumentException(
                    "unknown batch system '" + name + "': the known ones are " + String.join(", ", names()));
        }
        return system;
    }

    /** The scheduler of a cluster whose batch system is {@code name}, reached through {@code shell}. */
    public static BatchScheduler scheduler(String name, Shell shell, Duration timeout, SiteSettings site) {
        return new ShellScheduler(shell, timeout, get(name), site);
    }

    /** {@link #scheduler(String, Shell, Duration, SiteSettings)} of a site that asks for nothing of its own. */
    public static BatchScheduler scheduler(String name, Shell shell, Duration timeout) {
        return scheduler(name, shell, timeout, SiteSettings.none(name));
    }

    /** The rules of each batch system's submit command that a workflow step may run, by program. */
    public static Map<String, SubmitOptions.Rules> stepSubmits() {
        Map<String, SubmitOptions.Rules> byProgram = new TreeMap<>();
        BY_NAME.values().stream()
                .map(BatchSystem::stepSubmit)
                .filter(Objects::nonNull)
                .forEach(r -> byProgram.put(r.program(), r));
        return Collections.unmodifiableMap(byProgram);
    }

    static Collection<BatchSystem> all() {
        return BY_NAME.values();
    }
}
