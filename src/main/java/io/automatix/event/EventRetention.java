package io.automatix.event;

import java.util.Map;

import io.automatix.db.SqlFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Keeps the events table from growing for ever while the audit trail stays queryable: published
 * events past the retention age become one events_summary row per entity, type and day (view
 * event_days shows both), in batches of one transaction each, so that a pass never holds many rows
 * locked and another router (or the outbox) is never kept waiting long.
 */
public final class EventRetention {

    private static final Logger LOG = LoggerFactory.getLogger(EventRetention.class);
    private static final String PRUNE = SqlFile.load(EventRetention.class, "prune-events.sql");

    private final NamedParameterJdbcTemplate jdbc;
    private final int days;
    private final int batch;

    public EventRetention(NamedParameterJdbcTemplate jdbc, EventSettings settings) {
        this.jdbc = jdbc;
        this.days = settings.retentionDays();
        this.batch = settings.retentionBatch();
    }

    /** One pass: every batch until none is left. @return the events summarised and deleted */
    public long prune() {
        if (days <= 0) {
            return 0;
        }
        long total = 0;
        for (long n = batch; n == batch; total += n) {
            n = jdbc.queryForObject(PRUNE, Map.of("days", days, "batch", batch), Long.class);
        }
        if (total > 0) {
            LOG.info("Events retention: {} events older than {} days summarised into events_summary", total, days);
        }
        return total;
    }
}
