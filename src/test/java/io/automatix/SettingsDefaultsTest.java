package io.automatix;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.automatix.amqp.AmqpSettings;
import io.automatix.archive.ArchiveSettings;
import io.automatix.config.Settings;
import io.automatix.db.DatabaseSettings;
import io.automatix.event.EventSettings;
import io.automatix.objectstore.ObjectStoreSettings;
import io.automatix.process.JobSettings;
import io.automatix.supervise.SupervisionSettings;
import io.automatix.testing.TestServices;
import io.automatix.transfer.TransferSettings;
import io.automatix.workflow.CommandPolicy;
import io.automatix.workflow.Tier;
import io.automatix.workflow.WorkflowSettings;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Each settings record read from the shipped application.properties alone: the documented defaults. */
class SettingsDefaultsTest {

    private final Path home = TestServices.PROJECT;
    private CamelContext context;
    private Settings settings;

    @BeforeEach
    void shippedProperties() {
        context = new DefaultCamelContext();
        context.getPropertiesComponent().setLocation("file:" + home.resolve("application.properties"));
        context.getPropertiesComponent().addOverrideProperty("automatix.home-dir", home.toString());
        settings = new Settings(context);
    }

    @AfterEach
    void close() throws Exception {
        context.close();
    }

    @Test
    void routerAndServices() {
        RouterSettings router = RouterSettings.from(settings);
        assertThat(router.home()).isEqualTo(home);
        assertThat(router.data()).isEqualTo(Path.of("data").toAbsolutePath());
        assertThat(router.id()).endsWith("-" + ProcessHandle.current().pid());
        assertThat(router.sshConnectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(router.quartzThreads()).isEqualTo(4);
        assertThat(DatabaseSettings.from(settings)).isEqualTo(new DatabaseSettings(null, "postgres", null, 10));
        assertThat(AmqpSettings.from(settings)).isEqualTo(new AmqpSettings(null, 5672, "guest", "guest", "/"));
        assertThat(ObjectStoreSettings.from(settings))
                .isEqualTo(new ObjectStoreSettings(
                        null, "us-east-1", "automatix", "automatix-secret", "automatix-archive", true));
        assertThat(EventSettings.from(settings)).isEqualTo(new EventSettings(500, 30, 365, 5000));
    }

    @Test
    void flows() {
        assertThat(TransferSettings.from(settings))
                .isEqualTo(new TransferSettings(
                        "relay",
                        "size",
                        2,
                        5,
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(120),
                        Duration.ofSeconds(86400),
                        false,
                        false,
                        "local",
                        List.of()));
        assertThat(JobSettings.from(settings))
                .isEqualTo(new JobSettings(
                        true,
                        "fulliautomatix",
                        "local",
                        true,
                        1000,
                        50,
                        3,
                        Duration.ofSeconds(120),
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(600),
                        Duration.ofSeconds(10)));
        assertThat(SupervisionSettings.from(settings))
                .isEqualTo(new SupervisionSettings(
                        1,
                        Duration.ofSeconds(300),
                        Duration.ofSeconds(172800),
                        3,
                        10,
                        Duration.ofHours(24),
                        5,
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(300),
                        Duration.ofSeconds(600),
                        10,
                        Duration.ofSeconds(3600)));
        assertThat(ArchiveSettings.from(settings))
                .isEqualTo(new ArchiveSettings(
                        true,
                        "zstd",
                        3,
                        10,
                        10_737_418_240L,
                        Duration.ofSeconds(3600),
                        16_777_216L,
                        "read-back",
                        "automatix-archive",
                        "bundles/",
                        false,
                        Duration.ofSeconds(600),
                        Duration.ofSeconds(7200)));
        Path data = Path.of("/srv/automatix-data");
        assertThat(WorkflowSettings.from(settings, data))
                .isEqualTo(new WorkflowSettings(
                        true,
                        "local",
                        home.resolve("workflows"),
                        Map.of(
                                "flash",
                                        Tier.parse(
                                                "flash",
                                                data.resolve("tiers/flash").toString()),
                                "tape", Tier.parse("tape", "s3://automatix-archive/tape/")),
                        Map.of(), // the shipped locations are blank, and a blank setting counts as absent
                        Set.of("NFS", "SBB", "GBF", "DASI"),
                        Set.of("small", "medium", "large"),
                        new CommandPolicy(Set.of("sbatch"), Map.of(), Map.of()),
                        "",
                        4,
                        Duration.ofSeconds(120),
                        Duration.ofSeconds(600),
                        Duration.ofMillis(2000)));
    }

    @Test
    void timerPeriodsOfTheRoutes() {
        Map<String, Integer> periods = Map.of(
                "automatix.transfer.poll-ms", 10000,
                "automatix.transfer.lease-renew-ms", 20000,
                "automatix.process.plan-ms", 10000,
                "automatix.process.submit-ms", 5000,
                "automatix.process.monitor-ms", 500,
                "automatix.supervise.sweep-ms", 1000,
                "automatix.supervise.retry-ms", 2000,
                "automatix.archive.poll-ms", 5000,
                "automatix.workflow.drive-ms", 500,
                "automatix.metrics.refresh-ms", 10000);
        periods.forEach((key, ms) -> assertThat(settings.getInt(key)).as(key).isEqualTo(ms));
        assertThat(settings.getInt("automatix.process.accounting-check-ms")).isEqualTo(10000);
        assertThat(settings.get("automatix.schedule.events-outbox")).isEqualTo("0/1 * * * * ?");
    }
}
