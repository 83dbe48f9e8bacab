package io.automatix.routes;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import com.rabbitmq.client.GetResponse;
import io.automatix.AutomatixConfiguration;
import io.automatix.testing.AmqpTestClient;
import io.automatix.testing.RunsDb;
import io.automatix.testing.TestServices;
import org.apache.camel.ServiceStatus;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The example route routes/downstream.camel.yaml, switched on, in the real Main (camel-test-main)
 * with its properties overridden, on the real PostgreSQL, RabbitMQ and the test sshd as cluster
 * "hpc": a run becoming processed is an event (database trigger, outbox, broker), and the route runs
 * the site's downstream program with the run's name on the cluster, as the cluster's account.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DownstreamRouteIT extends CamelMainTestSupport {

    // set in configureContext, which CamelTestSupport's constructor calls (before field initialisers run)
    private String database;
    private String vhost;
    private Path site;
    private Path program;

    /** The real services of the test, and a "site" directory the cluster's account writes to. */
    private void prepare() throws Exception {
        TestServices.requireSshKey();
        database = TestServices.createDatabase();
        vhost = TestServices.createVirtualHost();
        site = TestServices.sharedDirectory("downstream", true);
        program = site.resolve("catalogue-add");
        Files.writeString(program, """
                #!/bin/sh
                # records the run it was called for; refuses runs whose name says so
                case "$1" in *refused*) echo "catalogue refuses $1" >&2; exit 4;; esac
                printf '%s by %s\\n' "$1" "$(id -un)" >> "$(dirname "$0")/catalogue.txt"
                echo "catalogued $1"
                """);
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configuration.addConfiguration(AutomatixConfiguration.class);
    }

    @Override
    public void configureContext(CamelContextConfiguration context) {
        super.configureContext(context);
        try {
            prepare();
        } catch (Exception e) {
            throw new IllegalStateException("cannot prepare the test's services: " + e.getMessage(), e);
        }
        Map<String, String> settings = TestServices.routerSettings(database, vhost, "downstream-it", dataDirectory());
        TestServices.sshHost(settings, "automatix.clusters.hpc");
        settings.put("automatix.home-dir", TestServices.PROJECT.toString());
        settings.put("automatix.amqp.port", String.valueOf(TestServices.AMQP_PORT));
        String routes = "file:" + TestServices.PROJECT.resolve("routes") + "/";
        // the flow under test: the outbox publishes the event, the example route acts, dead letters go out
        settings.put(
                "camel.main.routes-include-pattern",
                routes + "events.camel.yaml," + routes + "dead-letter.camel.yaml," + routes + "downstream.camel.yaml");
        settings.put("camel.main.routes-reload-enabled", "false");
        settings.put("camel.server.port", String.valueOf(TestServices.freePort()));
        settings.put("camel.management.port", String.valueOf(TestServices.freePort()));
        settings.put("automatix.downstream.enabled", "true");
        settings.put("automatix.downstream.cluster", "hpc");
        settings.put("automatix.downstream.command", program.toString());
        settings.put("automatix.cluster-endpoint.commands", program.toString());
        Properties overrides = new Properties();
        overrides.putAll(settings);
        context.withUseOverridePropertiesWithPropertiesComponent(overrides);
    }

    private static Path dataDirectory() {
        try {
            return Files.createTempDirectory("automatix-it-data");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterAll
    void dropServices() {
        context.stop();
        TestServices.dropDatabase(database);
        TestServices.deleteVirtualHost(vhost);
    }

    @Test
    void aProcessedRunGetsItsDownstreamStepOnTheCluster() throws Exception {
        assertThat(context.getRouteController().getRouteStatus("downstream")).isEqualTo(ServiceStatus.Started);
        processed("run_down_1");
        Path catalogue = site.resolve("catalogue.txt");
        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        Files.exists(catalogue) && Files.readString(catalogue).contains("run_down_1"));
        assertThat(Files.readString(catalogue)).isEqualTo("run_down_1 by " + TestServices.SSH_USER + "\n");
    }

    @Test
    void aFailedDownstreamStepSendsTheEventToTheDeadLetters() throws Exception {
        try (AmqpTestClient amqp = AmqpTestClient.rabbitmq(vhost)) {
            processed("run_refused_2");
            GetResponse[] dead = new GetResponse[1];
            await().atMost(Duration.ofSeconds(30)).until(() -> (dead[0] = amqp.take("automatix.dead")) != null);
            String reason = AmqpTestClient.header(dead[0], "automatix-dead-reason");
            assertThat(reason)
                    .startsWith("cluster hpc: " + program + " run_refused_2: exit 4")
                    .contains("catalogue refuses run_refused_2");
            assertThat(AmqpTestClient.header(dead[0], "automatix-dead-route")).isEqualTo("downstream");
            assertThat(new String(dead[0].getBody(), StandardCharsets.UTF_8))
                    .contains("\"type\":\"run.processing.processed\"")
                    .contains("\"entity_name\":\"run_refused_2\"");
        }
        Path catalogue = site.resolve("catalogue.txt");
        assertThat(Files.exists(catalogue) ? Files.readString(catalogue) : "").doesNotContain("run_refused_2");
    }

    /** The process flow's last transition, as the job engine makes it: the trigger records the event. */
    private void processed(String run) throws Exception {
        RunsDb db = new RunsDb(database);
        db.update("INSERT INTO runs (name, raw_status, processed_status) VALUES (?, 'ondeck', 'processing')", run);
        assertThat(db.update("UPDATE runs SET processed_status = 'processed' WHERE name = ?", run))
                .isEqualTo(1);
    }
}
