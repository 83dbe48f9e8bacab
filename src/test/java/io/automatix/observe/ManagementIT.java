package io.automatix.observe;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.automatix.testing.RunningRouter;
import io.automatix.testing.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Health (database, broker, object store, each cluster's SSH against the real OpenSSH), Prometheus
 * metrics, read-only Jolokia, loopback binding.
 */
class ManagementIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static RunningRouter router;

    @BeforeAll
    static void start() throws Exception {
        TestServices.requireSshKey();
        Path emptyKnownHosts = Files.createTempFile("known_hosts", "");
        router = RunningRouter.builder()
                .property("automatix.metrics.refresh-ms", "300")
                .property("automatix.transfer.dry-run", "true") // runs stay acquired
                .sshHost("automatix.clusters.hpc")
                // same server, but its host key is not known: must be refused, not trusted
                .sshHost("automatix.clusters.stranger", TestServices.SSH_PORT, emptyKnownHosts)
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (router != null) {
            router.close();
        }
    }

    @Test
    void healthChecksEachDependencyAndRefusesAnUnknownHostKey() throws Exception {
        var response = router.get("/observe/health");
        JsonNode health = JSON.readTree(response.body());
        assertThat(status(health, "database")).isEqualTo("UP");
        assertThat(status(health, "broker")).isEqualTo("UP");
        assertThat(status(health, "object-store")).isEqualTo("UP");
        assertThat(status(health, "cluster-local")).isEqualTo("UP");
        assertThat(status(health, "cluster-hpc")).isEqualTo("UP");
        // refused, and out; but the router's other clusters work, so it is degraded, not down
        JsonNode stranger = check(health, "cluster-stranger");
        assertThat(stranger.get("status").asText()).as(stranger.toString()).isEqualTo("UP");
        assertThat(stranger.toString()).contains("degraded: cluster stranger is out");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(router.get("/observe/health/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void metricsCountRunsByStatus() throws Exception {
        router.postJson("/api/runs", "{\"name\":\"metrics_1\"}");
        router.postJson("/api/runs", "{\"name\":\"metrics_2\"}");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String metrics = router.get("/observe/metrics").body();
            assertThat(metrics).contains("automatix_runs_raw_status{status=\"acquired\"} 2.0");
            assertThat(metrics).contains("automatix_runs_processed_status{status=\"none\"} 2.0");
            assertThat(metrics).contains("camel_exchanges_total");
        });
    }

    @Test
    void jolokiaReadsButNeverWritesOrInvokes() throws Exception {
        JsonNode read = jolokia(
                "{\"type\":\"read\",\"mbean\":\"org.apache.camel:context=automatix,type=routes,name=\\\"api-runs\\\"\",\"attribute\":\"State\"}");
        assertThat(read.get("status").asInt()).isEqualTo(200);
        assertThat(read.get("value").asText()).isEqualTo("Started");

        JsonNode exec = jolokia(
                "{\"type\":\"exec\",\"mbean\":\"org.apache.camel:context=automatix,type=routes,name=\\\"api-runs\\\"\",\"operation\":\"stop()\"}");
        assertThat(exec.get("status").asInt()).isEqualTo(403);
        JsonNode gc = jolokia("{\"type\":\"exec\",\"mbean\":\"java.lang:type=Memory\",\"operation\":\"gc\"}");
        assertThat(gc.get("status").asInt()).isEqualTo(403);
        JsonNode write = jolokia(
                "{\"type\":\"write\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"Verbose\",\"value\":true}");
        assertThat(write.get("status").asInt()).isEqualTo(403);
        assertThat(router.context()
                        .getRouteController()
                        .getRouteStatus("api-runs")
                        .isStarted())
                .isTrue();
    }

    @Test
    void listensOnLoopbackOnly() throws Exception {
        int port = URI.create(router.url("/")).getPort();
        assertThat(connects(InetAddress.getLoopbackAddress(), port)).isTrue();
        List<InetAddress> others = NetworkInterface.networkInterfaces()
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
                .toList();
        for (InetAddress address : others) {
            assertThat(connects(address, port)).as("reachable on " + address).isFalse();
        }
    }

    private static boolean connects(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static JsonNode jolokia(String request) throws Exception {
        return JSON.readTree(router.postJson("/observe/jolokia", request).body());
    }

    private static String status(JsonNode health, String check) {
        return check(health, check).get("status").asText();
    }

    private static JsonNode check(JsonNode health, String check) {
        for (JsonNode c : health.get("checks")) {
            if (c.get("name").asText().equals(check)) {
                return c;
            }
        }
        throw new AssertionError("no health check named " + check + " in " + health);
    }
}
