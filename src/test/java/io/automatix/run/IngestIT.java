package io.automatix.run;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.GetResponse;
import io.automatix.testing.AmqpTestClient;
import io.automatix.testing.RunningRouter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The ingest flow's three entry points on real PostgreSQL and RabbitMQ. */
class IngestIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static RunningRouter router;
    private static AmqpTestClient amqp;
    private static String events;

    @BeforeAll
    static void start() throws Exception {
        router = RunningRouter.builder().start();
        amqp = AmqpTestClient.rabbitmq(router.vhost());
        events = amqp.bindEvents("test.run-events", "run.#");
    }

    @AfterAll
    static void stop() throws Exception {
        if (amqp != null) {
            amqp.close();
        }
        if (router != null) {
            router.close();
        }
    }

    @Test
    void httpCreatesARunOnceAndSaysSo() throws Exception {
        var first = router.postJson(
                "/api/runs",
                "{\"name\":\"http_001\",\"source_host\":\"daq1\",\"source_path\":\"/data/run/http_001\",\"metadata\":{\"detector\":\"asterix\"}}");
        assertThat(first.statusCode()).isEqualTo(201);
        JsonNode run = JSON.readTree(first.body());
        assertThat(run.get("name").asText()).isEqualTo("http_001");
        assertThat(run.get("raw_status").asText()).isEqualTo("acquired");
        assertThat(run.get("metadata").get("detector").asText()).isEqualTo("asterix");

        var again = router.postJson("/api/runs", "{\"name\":\"http_001\"}");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(again.body()).get("id").asLong())
                .isEqualTo(run.get("id").asLong());
        assertThat(count("SELECT count(*) FROM runs WHERE name = 'http_001'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM events WHERE entity_name = 'http_001' AND actor = 'operator'"))
                .isEqualTo(1); // the token's user

        var fetched = router.get("/api/runs/http_001");
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(fetched.body()).get("source_path").asText()).isEqualTo("/data/run/http_001");
        assertThat(router.get("/api/runs/nothing_here").statusCode()).isEqualTo(404);
    }

    @Test
    void httpRefusesBadInputNamingTheField() throws Exception {
        assertBadRequest("{\"name\":\"x; touch /tmp/pwned\"}", "name");
        assertBadRequest("{\"name\":\"..\"}", "name");
        assertBadRequest("{\"name\":\"-rf\"}", "name");
        assertBadRequest("{\"name\":\"a\\nb\"}", "name");
        assertBadRequest("{\"name\":\"" + "a".repeat(129) + "\"}", "name");
        assertBadRequest("{\"name\":42}", "name");
        assertBadRequest("{\"source_host\":\"daq1\"}", "name");
        assertBadRequest("{\"name\":\"ok_1\",\"colour\":\"red\"}", "colour");
        assertBadRequest("{\"name\":\"ok_1\",\"source_path\":\"/data/../etc\"}", "source_path");
        assertBadRequest("{\"name\":\"ok_1\",\"source_path\":\"relative/path\"}", "source_path");
        assertBadRequest("{\"name\":\"ok_1\",\"cluster\":\"nowhere\"}", "cluster");
        assertBadRequest("{\"name\":\"ok_1\",\"metadata\":[1,2]}", "metadata");
        assertBadRequest("{\"name\":\"ok_1\",\"version\":2}", "version");
        assertBadRequest("{\"name\":", null);
        assertBadRequest("[1,2,3]", null);

        byte[] invalidUtf8 = {'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        var response = router.post("/api/runs", "application/json", invalidUtf8);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(router.post("/api/runs", "text/plain", "{\"name\":\"ok_1\"}".getBytes(StandardCharsets.UTF_8))
                        .statusCode())
                .isEqualTo(415);
        assertThat(count("SELECT count(*) FROM runs WHERE name = 'ok_1'")).isZero();
        assertThat(router.context()
                        .getRouteController()
                        .getRouteStatus("api-runs")
                        .isStarted())
                .isTrue();
    }

    @Test
    void amqpMessagesAreIngestedOnceAndBadOnesDeadLettered() throws Exception {
        amqp.publish(
                "automatix.runs", "{\"type\":\"run\",\"version\":1,\"name\":\"amqp_001\",\"source_host\":\"daq1\"}");
        amqp.publish("automatix.runs", "{\"name\":\"amqp_001\"}");
        amqp.publish("automatix.runs", "{\"name\":\"x; touch /tmp/pwned\"}");
        amqp.publish("automatix.runs", "this is not json");

        await().atMost(Duration.ofSeconds(20))
                .until(() -> count("SELECT count(*) FROM runs WHERE name = 'amqp_001'") == 1);
        List<GetResponse> dead = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            GetResponse m = amqp.take("automatix.dead");
            if (m != null) {
                dead.add(m);
            }
            return dead.size() == 2;
        });
        assertThat(new String(dead.get(0).getBody(), StandardCharsets.UTF_8))
                .isEqualTo("{\"name\":\"x; touch /tmp/pwned\"}");
        assertThat(AmqpTestClient.header(dead.get(0), "automatix-dead-reason")).contains("field 'name'");
        assertThat(AmqpTestClient.header(dead.get(0), "automatix-dead-route")).isEqualTo("ingest-amqp");
        assertThat(new String(dead.get(1).getBody(), StandardCharsets.UTF_8)).isEqualTo("this is not json");
        assertThat(AmqpTestClient.header(dead.get(1), "automatix-dead-reason")).contains("not valid JSON");
        assertThat(count("SELECT count(*) FROM runs WHERE name = 'amqp_001'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM runs WHERE name LIKE 'x%'")).isZero();
    }

    @Test
    void runsInsertedByTheAcquisitionSystemAreRecordedAndPublished() throws Exception {
        try (Connection c = router.db()) {
            c.createStatement()
                    .execute(
                            "INSERT INTO runs (name, source_host, source_path) VALUES ('daq_001', 'daq1', '/data/daq_001')");
        }
        router.postJson("/api/runs", "{\"name\":\"daq_002\"}");
        Set<String> seen = new java.util.HashSet<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            for (GetResponse m = amqp.take(events); m != null; m = amqp.take(events)) {
                JsonNode event = JSON.readTree(m.getBody());
                assertThat(m.getEnvelope().getRoutingKey())
                        .isEqualTo(event.get("type").asText());
                assertThat(event.get("version").asInt()).isEqualTo(1);
                seen.add(event.get("entity_name").asText() + "/"
                        + event.get("type").asText());
            }
            return seen.containsAll(Set.of("daq_001/run.acquired", "daq_002/run.acquired"));
        });
        assertThat(count("SELECT count(*) FROM events WHERE entity_name = 'daq_001' AND actor = 'postgres'"))
                .isEqualTo(1);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM events WHERE entity_name IN ('daq_001','daq_002') "
                                + "AND type = 'run.acquired' AND published_at IS NOT NULL")
                        == 2);
    }

    private static void assertBadRequest(String body, String field) throws Exception {
        var response = router.postJson("/api/runs", body);
        assertThat(response.statusCode()).as(body).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.get("error").asText()).isNotBlank();
        if (field == null) {
            assertThat(error.has("field")).as(body).isFalse();
        } else {
            assertThat(error.get("field").asText()).as(body).isEqualTo(field);
        }
    }

    private static long count(String sql) throws Exception {
        try (Connection c = router.db();
                ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
