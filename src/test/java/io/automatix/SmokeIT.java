package io.automatix;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.automatix.testing.AmqpTestClient;
import io.automatix.testing.TestServices;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built jar as a user runs it: a separate process on embedded defaults (PostgreSQL, AMQP broker,
 * S3 store), ingesting through all three entry points, restarted, with every run still there.
 */
class SmokeIT {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final int httpPort = TestServices.freePort();
    private final int dbPort = TestServices.freePort();
    private final int amqpPort = TestServices.freePort();
    private final int s3Port = TestServices.freePort();

    @Test
    void theJarRunsOnEmbeddedDefaultsAndKeepsRunsAcrossARestart() throws Exception {
        Path jar = Path.of(System.getProperty("automatix.jar", "target/automatix.jar")).toAbsolutePath();
        assertThat(jar).as("mvn package builds the jar before integration tests").exists();
        Path work = Files.createTempDirectory("automatix-smoke");

        Process router = start(jar, work, "first.log");
        try {
            String log = Files.readString(work.resolve("first.log"));
            assertThat(log).contains("Database: embedded PostgreSQL", "Broker: embedded AMQP",
                    "Object store: embedded S3-compatible store", "Cluster local: scheduler local");

            assertThat(post("{\"name\":\"smoke_http\"}").statusCode()).isEqualTo(201);
            try (AmqpTestClient amqp = new AmqpTestClient("127.0.0.1", amqpPort, "/")) {
                amqp.publish("automatix.runs", "{\"name\":\"smoke_amqp\"}");
            }
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + dbPort + "/postgres", "postgres", "")) {
                c.createStatement().execute("INSERT INTO runs (name, source_host, source_path) VALUES ('smoke_sql', 'daq', '/data/smoke')");
            }
            awaitStatus("/api/runs/smoke_amqp", 200, Duration.ofSeconds(20));
        } finally {
            stop(router);
        }
        assertThat(Files.isDirectory(work.resolve("data/postgres"))).isTrue();

        Process again = start(jar, work, "second.log");
        try {
            for (String run : List.of("smoke_http", "smoke_amqp", "smoke_sql")) {
                HttpResponse<String> r = get("/api/runs/" + run);
                assertThat(r.statusCode()).as(run + ": " + r.body()).isEqualTo(200);
                assertThat(r.body()).contains("\"raw_status\":\"acquired\"");
            }
        } finally {
            stop(again);
        }
    }

    private Process start(Path jar, Path work, String logName) throws Exception {
        List<String> command = new ArrayList<>(List.of("java",
                "-Dcamel.server.port=" + httpPort, "-Dcamel.management.port=" + httpPort,
                "-Dautomatix.embedded.db-port=" + dbPort, "-Dautomatix.embedded.amqp-port=" + amqpPort,
                "-Dautomatix.embedded.s3-port=" + s3Port,
                "-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile())
                .redirectErrorStream(true).redirectOutput(work.resolve(logName).toFile());
        builder.environment().put("AUTOMATIX_HOME", TestServices.PROJECT.toString());
        long started = System.nanoTime();
        Process process = builder.start();
        try {
            awaitStatus("/observe/health", 200, Duration.ofSeconds(60));
        } catch (AssertionError e) {
            process.destroyForcibly();
            throw new AssertionError(e.getMessage() + "\n--- router log ---\n" + Files.readString(work.resolve(logName)), e);
        }
        System.out.printf("SmokeIT: healthy %d ms after start (%s)%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), logName);
        return process;
    }

    private void stop(Process process) throws InterruptedException {
        process.destroy(); // SIGTERM, as Ctrl-C or a service manager would
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("router stops within 60 s of SIGTERM").isTrue();
        assertThat(TestServicesPorts.open(dbPort)).as("embedded PostgreSQL stopped with the router").isFalse();
    }

    private void awaitStatus(String path, int status, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = get(path);
                if (r.statusCode() == status) {
                    return;
                }
                last = r.statusCode() + " " + r.body();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(200);
        }
        throw new AssertionError(path + " did not answer " + status + " within " + timeout + ": " + last);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/api/runs"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static final class TestServicesPorts {
        static boolean open(int port) {
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
                return true;
            } catch (IOException e) {
                return false;
            }
        }
    }
}
