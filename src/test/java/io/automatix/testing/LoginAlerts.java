package io.automatix.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.GetResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The needs-login alerts a router published on automatix.alerts, each checked to name the cluster, since when and the fix. */
public final class LoginAlerts {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LoginAlerts() {}

    /** Takes every alert waiting; returns how many were the cluster's needs-login alerts. */
    public static int take(AmqpTestClient amqp, String cluster) throws IOException {
        int count = 0;
        for (GetResponse m = amqp.take("automatix.alerts"); m != null; m = amqp.take("automatix.alerts")) {
            JsonNode alert = JSON.readTree(new String(m.getBody(), StandardCharsets.UTF_8));
            if (alert.path("type").asText().equals("needs-login")) {
                assertThat(alert.path("cluster").asText()).isEqualTo(cluster);
                assertThat(alert.path("since").asText()).isNotBlank();
                assertThat(alert.path("fix").asText()).contains("automatix login " + cluster);
                count++;
            }
        }
        return count;
    }
}
