package io.automatix.event;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.automatix.db.SqlFile;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The transactional outbox: events are written in the same transaction as the change they record
 * (by the audit triggers), and a route publishes them with broker confirms, marking each published
 * only after the confirm. A broker outage delays events; it never loses them. Consumers may see an
 * event twice (after a crash between confirm and mark) and must be idempotent on its id.
 */
public final class EventOutbox {

    private static final Logger LOG = LoggerFactory.getLogger(EventOutbox.class);
    private static final String CLAIM = SqlFile.load(EventOutbox.class, "claim-events.sql");
    private static final String MARK = SqlFile.load(EventOutbox.class, "mark-published.sql");

    private final NamedParameterJdbcTemplate jdbc;
    private final String router;
    private final int batchSize;
    private final int leaseSeconds;
    private final ObjectMapper json = new ObjectMapper();
    private volatile Instant outage;

    public EventOutbox(NamedParameterJdbcTemplate jdbc, String router, EventSettings settings) {
        this.jdbc = jdbc;
        this.router = router;
        this.batchSize = settings.batchSize();
        this.leaseSeconds = settings.leaseSeconds();
    }

    /** The next events to publish, oldest first. */
    public List<Event> claim() {
        List<Event> events = jdbc.query(
                CLAIM,
                Map.of("router", router, "lease_seconds", leaseSeconds, "limit", batchSize),
                (rs, i) -> event(rs));
        return events.stream().sorted(Comparator.comparingLong(Event::id)).toList();
    }

    public void markPublished(long id) {
        jdbc.update(MARK, Map.of("id", id));
        if (outage != null) {
            LOG.info("Publishing events again; the broker was unavailable since {}", outage);
            outage = null;
        }
    }

    /** A pass that could not publish: its events stay claimed by this router and go out on a later pass. */
    public void brokerUnavailable(Exchange exchange) {
        if (outage == null) {
            outage = Instant.now();
            Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
            LOG.warn(
                    "Cannot publish events, they wait in the outbox until the broker is back: {}",
                    e == null ? "unknown error" : rootMessage(e));
        }
    }

    public String toJson(Event event) throws JsonProcessingException {
        return json.writeValueAsString(event);
    }

    @SuppressWarnings("unchecked")
    private Event event(ResultSet rs) throws SQLException {
        try {
            return new Event(
                    rs.getLong("id"),
                    rs.getString("type"),
                    rs.getObject("at", OffsetDateTime.class).toString(),
                    rs.getString("actor"),
                    rs.getString("entity"),
                    rs.getLong("entity_id"),
                    rs.getString("entity_name"),
                    rs.getString("from_state"),
                    rs.getString("to_state"),
                    json.readValue(rs.getString("detail"), Map.class));
        } catch (JsonProcessingException e) {
            throw new SQLException("detail of event " + rs.getLong("id") + " is not JSON", e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.toString();
    }
}
