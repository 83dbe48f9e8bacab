package io.automatix.schedule;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import io.automatix.testing.RouterProcess;
import io.automatix.testing.TestServices;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two routers (separate JVMs) on one real PostgreSQL and RabbitMQ: a quartz schedule fires once per
 * tick across both, and keeps firing when one of them stops.
 */
class QuartzClusterIT {

    @Test
    void aScheduleFiresOnceAcrossTwoRouters() throws Exception {
        String database = TestServices.createDatabase();
        String vhost = TestServices.createVirtualHost();
        Path home = Files.createTempDirectory("automatix-home");
        Path routes = Files.createDirectories(home.resolve("routes"));
        try (var files = Files.list(TestServices.PROJECT.resolve("routes"))) {
            for (Path f : files.toList()) {
                Files.copy(f, routes.resolve(f.getFileName()));
            }
        }
        // A probe schedule: every second, record which router fired it.
        Files.writeString(routes.resolve("probe.camel.yaml"), """
                - route:
                    id: quartz-probe
                    from:
                      uri: "quartz:automatix/probe?cron=0/1+*+*+*+*+?&stateful=true"
                      steps:
                        - setHeader:
                            name: router
                            simple: "{{automatix.router-id}}"
                        - to: "sql:INSERT INTO probe.quartz_probe (router, fire) VALUES (:#router, date_trunc('second', now()))"
                """);
        try (Connection c = TestServices.connect(database)) {
            c.createStatement()
                    .execute("CREATE SCHEMA probe; CREATE TABLE probe.quartz_probe (router text, fire timestamptz)");
        }
        try {
            Path work = Files.createTempDirectory("automatix-two");
            try (RouterProcess a = RouterProcess.start(work, "a.log", settings(database, vhost, home, "router-a"));
                    RouterProcess b = RouterProcess.start(work, "b.log", settings(database, vhost, home, "router-b"))) {
                Thread.sleep(8000);
                a.stop();
                // b takes over once quartz's cluster check finds a gone (checkin 5 s plus its grace)
                await().atMost(Duration.ofSeconds(60)).until(() -> firedBy(database, "router-b"));
                Thread.sleep(3000);
                b.stop();
            }
            Map<String, Integer> firesPerSecond = new HashMap<>();
            Set<String> routers = new HashSet<>();
            try (Connection c = TestServices.connect(database);
                    ResultSet rs =
                            c.createStatement().executeQuery("SELECT router, fire::text FROM probe.quartz_probe")) {
                while (rs.next()) {
                    routers.add(rs.getString(1));
                    firesPerSecond.merge(rs.getString(2), 1, Integer::sum);
                }
            }
            assertThat(firesPerSecond).as("fires per second").isNotEmpty();
            assertThat(firesPerSecond.values()).as("no second fired twice").allMatch(n -> n == 1);
            assertThat(firesPerSecond.size()).as("seconds with a fire").isGreaterThan(8);
            assertThat(routers).as("the schedule survived router-a stopping").contains("router-b");
        } finally {
            TestServices.dropDatabase(database);
            TestServices.deleteVirtualHost(vhost);
        }
    }

    private static boolean firedBy(String database, String router) throws Exception {
        try (Connection c = TestServices.connect(database);
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT count(*) FROM probe.quartz_probe WHERE router = '" + router + "'")) {
            rs.next();
            return rs.getLong(1) > 0;
        }
    }

    private static Map<String, String> settings(String database, String vhost, Path home, String routerId) {
        Map<String, String> s =
                TestServices.routerSettings(database, vhost, routerId, home.resolve("data-" + routerId));
        s.put("automatix.home", home.toString());
        return s;
    }
}
