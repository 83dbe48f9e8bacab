package io.automatix.routes;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.stream.Stream;

import io.automatix.testing.RunningRouter;
import io.automatix.testing.TestServices;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An operator edits routes/api.camel.yaml (REST DSL verbs, their routes and routeConfiguration api):
 * after the reload the API still authenticates, answers and maps failures to their statuses.
 */
class ApiRouteReloadIT {

    @Test
    void theApiKeepsItsErrorMappingAfterItsFileIsReloaded() throws Exception {
        Path home = Files.createTempDirectory("automatix-home");
        Path routes = Files.createDirectories(home.resolve("routes"));
        try (Stream<Path> files = Files.list(TestServices.PROJECT.resolve("routes"))) {
            for (Path f : files.toList()) {
                Files.copy(f, routes.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        try (RunningRouter router = RunningRouter.builder().home(home).start()) {
            assertThat(router.get("/api/runs/nothing_here").statusCode()).isEqualTo(404);
            Path api = routes.resolve("api.camel.yaml");
            // as an editor saves: the whole new text at once (a file written in two parts is reloaded twice)
            Path edited = routes.resolve("api.camel.yaml.part");
            Files.writeString(
                    edited,
                    Files.readString(api)
                            .replace(
                                    "description: \"Archive bundles (?limit=)\"",
                                    "description: \"edited by an operator\""));
            Files.move(edited, api, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            await().atMost(Duration.ofSeconds(30))
                    .ignoreExceptions() // the route is gone for a moment while its file is reloaded
                    .untilAsserted(() -> assertThat(router.context()
                                    .getRoute("api-bundles")
                                    .getEndpoint()
                                    .getEndpointUri())
                            .contains("edited"));
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() ->
                            assertThat(router.get("/api/bundles").statusCode()).isEqualTo(200));
            assertThat(router.get("/api/runs/nothing_here").statusCode()).isEqualTo(404);
            var created = router.postJson("/api/runs", "{\"name\":\"after_api_reload\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            assertThat(created.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(router.postJson("/api/runs", "{\"name\":").statusCode()).isEqualTo(400);
            var anonymous = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(router.url("/api/runs")))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(401);
        }
    }
}
