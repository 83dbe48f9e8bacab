package io.automatix.event;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.GetResponse;
import io.automatix.testing.AmqpTestClient;
import io.automatix.testing.RunningRouter;
import io.automatix.testing.TestServices;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Events survive a real RabbitMQ outage: recorded while it is down, published once it is back. */
class EventOutboxIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void eventsRecordedDuringABrokerOutageArePublishedAfterIt() throws Exception {
        try (RunningRouter router = RunningRouter.builder()
                .property("automatix.transfer.dry-run", "true")
                .start()) {
            String queue;
            try (AmqpTestClient amqp = AmqpTestClient.rabbitmq(router.vhost())) {
                queue = amqp.bindEvents("test.outage-events", "run.#");
            }
            TestServices.rabbitmqctl("stop_app");
            try {
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> router.get("/observe/health").statusCode() == 503);
                assertThat(router.postJson("/api/runs", "{\"name\":\"outage_http\"}")
                                .statusCode())
                        .isEqualTo(201);
                try (Connection c = router.db()) {
                    c.createStatement().execute("INSERT INTO runs (name) VALUES ('outage_sql')");
                }
                Thread.sleep(3000); // several outbox passes fail meanwhile
                assertThat(unpublished(router)).isEqualTo(2);
            } finally {
                TestServices.rabbitmqctl("start_app");
                TestServices.rabbitmqctl("await_startup");
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> unpublished(router) == 0);
            Set<String> names = new HashSet<>();
            try (AmqpTestClient amqp = AmqpTestClient.rabbitmq(router.vhost())) {
                for (GetResponse m = amqp.take(queue); m != null; m = amqp.take(queue)) {
                    names.add(JSON.readTree(m.getBody()).get("entity_name").asText());
                }
            }
            assertThat(names).containsExactlyInAnyOrder("outage_http", "outage_sql");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> router.get("/observe/health").statusCode() == 200);
        }
    }

    private static long unpublished(RunningRouter router) throws Exception {
        try (Connection c = router.db();
                ResultSet rs =
                        c.createStatement().executeQuery("SELECT count(*) FROM events WHERE published_at IS NULL")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
