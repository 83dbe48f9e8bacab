package io.automatix.routes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import io.automatix.testing.RunningRouter;
import io.automatix.testing.TestServices;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Operators edit routes/*.yaml under AUTOMATIX_HOME; the running router picks the change up. */
class RouteReloadIT {

    @Test
    void editedAndAddedRouteFilesAreReloadedWithoutDisturbingTheOthers() throws Exception {
        Path home = Files.createTempDirectory("automatix-home");
        Path routes = Files.createDirectories(home.resolve("routes"));
        try (Stream<Path> files = Files.list(TestServices.PROJECT.resolve("routes"))) {
            for (Path f : files.toList()) {
                Files.copy(f, routes.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        try (RunningRouter router = RunningRouter.builder().home(home).start()) {
            CamelContext context = router.context();
            // the routes that start with the router (the example route downstream is off by default)
            List<String> before = context.getRoutes().stream()
                    .map(Route::getRouteId)
                    .filter(id -> RunningRouter.autoStarts(context, id))
                    .sorted()
                    .toList();
            assertThat(before).contains("ingest-amqp", "api-runs", "events-outbox", "metrics-runs");
            // the example route is off unless automatix.downstream.enabled says otherwise
            assertThat(context.getRouteController().getRouteStatus("downstream"))
                    .isEqualTo(ServiceStatus.Stopped);

            Path observe = routes.resolve("observe.camel.yaml");
            Files.writeString(
                    observe,
                    Files.readString(observe)
                            .replace(
                                    "    id: metrics-runs\n",
                                    "    id: metrics-runs\n    description: edited by an operator\n"));
            Files.writeString(routes.resolve("probe.camel.yaml"), """
                    - route:
                        id: probe
                        from:
                          uri: direct:probe
                          steps:
                            - setBody:
                                simple: "probe says ${body}"
                    """);

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(context.getRoute("probe")).isNotNull();
                assertThat(context.getRoute("metrics-runs").getDescription()).isEqualTo("edited by an operator");
            });
            assertThat(context.createProducerTemplate().requestBody("direct:probe", "hi", String.class))
                    .isEqualTo("probe says hi");
            for (String id : before) {
                assertThat(context.getRouteController().getRouteStatus(id).isStarted())
                        .as(id)
                        .isTrue();
            }
            assertThat(router.postJson("/api/runs", "{\"name\":\"after_reload\"}")
                            .statusCode())
                    .isEqualTo(201);
        }
    }
}
