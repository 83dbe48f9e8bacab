package io.automatix.run;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Run counts by status as gauges ({@code automatix_runs_raw_status{status="acquired"}} and
 * {@code automatix_runs_processed_status{...}}), refreshed from the database by a timer route.
 */
public final class RunMetrics {

    private static final Map<String, List<String>> STATUSES = Map.of(
            "raw",
                    List.of(
                            "acquired",
                            "transferring",
                            "ondeck",
                            "compressed",
                            "archived",
                            "transfer_failed",
                            "compress_failed",
                            "archive_failed"),
            "processed", List.of("none", "queued", "processing", "processed", "failed"));

    private final RunStore store;
    private final Supplier<MeterRegistry> registry;
    private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();

    /** The registry is looked up late: camel-main creates it after the beans are bound. */
    public RunMetrics(RunStore store, Supplier<MeterRegistry> registry) {
        this.store = store;
        this.registry = registry;
    }

    public void refresh() {
        Map<String, Map<String, Long>> counts = store.countByStatus();
        STATUSES.forEach((kind, statuses) -> statuses.forEach(status ->
                gauge(kind, status).set(counts.getOrDefault(kind, Map.of()).getOrDefault(status, 0L))));
    }

    private AtomicLong gauge(String kind, String status) {
        return gauges.computeIfAbsent(kind + "/" + status, k -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("automatix.runs." + kind + "_status", value, AtomicLong::get)
                    .tag("status", status)
                    .description("Runs by " + kind + " status")
                    .register(registry.get());
            return value;
        });
    }
}
