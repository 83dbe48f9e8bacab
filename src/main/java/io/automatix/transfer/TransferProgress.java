package io.automatix.transfer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * The transfers this router is running, with bytes done, rate and ETA as rsync reports them; served
 * by {@code GET /api/transfers} and as gauges {@code automatix_transfer_bytes{run=...}},
 * {@code automatix_transfer_rate_bytes_per_second{run=...}} and {@code automatix_transfers_active}.
 */
public final class TransferProgress {

    private final Supplier<MeterRegistry> registry;
    private final Map<String, Entry> active = new ConcurrentHashMap<>();
    private volatile boolean activeGaugeRegistered;

    private static final class Entry {
        final String run;
        final String from;
        final String to;
        final Instant started = Instant.now();
        volatile RsyncProgress last = new RsyncProgress(0, 0, 0, null);
        final List<Meter> meters = new ArrayList<>();

        Entry(String run, String from, String to) {
            this.run = run;
            this.from = from;
            this.to = to;
        }
    }

    public TransferProgress(Supplier<MeterRegistry> registry) {
        this.registry = registry;
    }

    void started(String run, String from, String to) {
        Entry e = new Entry(run, from, to);
        MeterRegistry r = registry.get();
        if (r != null) {
            if (!activeGaugeRegistered) {
                Gauge.builder("automatix.transfers.active", active, Map::size)
                        .description("Transfers running on this router")
                        .register(r);
                activeGaugeRegistered = true;
            }
            Tags tags = Tags.of("run", run);
            e.meters.add(Gauge.builder("automatix.transfer.bytes", e, x -> x.last.bytes())
                    .tags(tags)
                    .description("Bytes transferred so far")
                    .register(r));
            e.meters.add(Gauge.builder("automatix.transfer.rate.bytes.per.second", e, x -> x.last.bytesPerSecond())
                    .tags(tags)
                    .description("Current transfer rate")
                    .register(r));
        }
        active.put(run, e);
    }

    void update(String run, RsyncProgress progress) {
        Entry e = active.get(run);
        if (e != null) {
            e.last = progress;
        }
    }

    void finished(String run) {
        Entry e = active.remove(run);
        MeterRegistry r = registry.get();
        if (e != null && r != null) {
            e.meters.forEach(r::remove);
        }
    }

    /** For the API: one map per running transfer, oldest first. */
    public List<Map<String, Object>> snapshot() {
        return active.values().stream()
                .sorted(Comparator.comparing((Entry e) -> e.started))
                .map(e -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("run", e.run);
                    m.put("from", e.from);
                    m.put("to", e.to);
                    m.put("started_at", e.started.toString());
                    m.put("seconds", Duration.between(e.started, Instant.now()).toSeconds());
                    m.put("bytes", e.last.bytes());
                    m.put("percent", e.last.percent());
                    m.put("rate_bytes_per_second", e.last.bytesPerSecond());
                    m.put("eta", e.last.eta());
                    return m;
                })
                .toList();
    }
}
