package io.automatix.api;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.automatix.AutomatixConfiguration;
import io.automatix.testing.TestServices;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.VerbDefinition;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The REST API's wiring, fast: the real configuration and routes on camel-main (camel-test-main-junit5),
 * on a database of its own, over real HTTP. One failure of each kind gets its status and JSON body
 * from routeConfiguration {@code api}; the served OpenAPI names exactly the REST DSL's verbs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiRoutesTest extends CamelMainTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String TOKEN = "Bearer " + TestServices.API_TOKEN;

    // static: CamelTestSupport asks for the properties in its constructor, before instance fields are set
    private static final String DATABASE = TestServices.createDatabase();
    private static final String VHOST = TestServices.createVirtualHost();
    private static final int PORT = TestServices.freePort();

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configuration.addConfiguration(AutomatixConfiguration.class);
    }

    @Override
    protected String getPropertyPlaceholderLocations() {
        return "classpath:application.properties;optional=true";
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        try {
            Path data = Files.createTempDirectory("automatix-api-test");
            Properties p = new Properties();
            p.putAll(TestServices.routerSettings(DATABASE, VHOST, "api-test", data));
            p.put("automatix.home-dir", TestServices.PROJECT.toString());
            p.put("camel.server.port", String.valueOf(PORT));
            p.put("camel.management.port", String.valueOf(PORT));
            return p;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops the router before its database and vhost go: with PER_CLASS, CamelTestSupport would stop it only at the end of the run. */
    @AfterAll
    void stopRouterAndDropServices() {
        context().stop();
        TestServices.dropDatabase(DATABASE);
        TestServices.deleteVirtualHost(VHOST);
    }

    @Test
    void withoutAValidTokenEveryKindOfRouteAnswers401() throws Exception {
        for (String path : new String[] {"/api/runs", "/api/runs/x", "/api/sessions/x", "/api/status"}) {
            assertError(send("GET", path, null, null, Map.of()), 401, "a valid token is required");
        }
        assertError(send("GET", "/api/runs?Authorization=" + TOKEN.replace(" ", "%20"), null, null, Map.of()), 401, "");
    }

    @Test
    void whatDoesNotExistIs404() throws Exception {
        assertError(send("GET", "/api/runs/no_such_run", TOKEN, null, Map.of()), 404, "no_such_run");
        assertError(send("POST", "/api/runs/no_such_run/cancel", TOKEN, "{}", Map.of()), 404, "no_such_run");
        assertError(send("GET", "/api/sessions/no_such_session", TOKEN, null, Map.of()), 404, "no_such_session");
    }

    @Test
    void aMalformedBodyIs400AndOneNotSaidToBeJson415() throws Exception {
        assertError(send("POST", "/api/runs", TOKEN, "{\"name\":", Map.of()), 400, "");
        assertError(send("POST", "/api/runs", TOKEN, "{\"name\":\"a b\"}", Map.of()), 400, "name");
        assertError(send("POST", "/api/runs/x/reprocess", TOKEN, "[1]", Map.of()), 400, "expected a JSON object");
        assertError(send("GET", "/api/runs?limit=lots", TOKEN, null, Map.of()), 400, "limit: not a number");
        assertError(
                send("POST", "/api/runs", TOKEN, "{\"name\":\"r1\"}", Map.of("Content-Type", "text/plain")),
                415,
                "send JSON");
        assertError(send("POST", "/api/sessions", TOKEN, "{\"workflow\":\"no_such_workflow\"}", Map.of()), 400, "");
    }

    @Test
    void aMethodThePathDoesNotTakeIs405() throws Exception {
        assertThat(send("PUT", "/api/runs", TOKEN, "{}", Map.of()).statusCode()).isEqualTo(405);
        assertThat(send("DELETE", "/api/runs/x", TOKEN, null, Map.of()).statusCode())
                .isEqualTo(405);
        assertThat(send("GET", "/api/runs/x/cancel", TOKEN, null, Map.of()).statusCode())
                .isEqualTo(405);
    }

    @Test
    void aFailureOfTheRouterIs500AndSaysWhereToLookNotWhatFailed() throws Exception {
        // PostgreSQL refuses a NUL in a text parameter: the query fails, not the request's syntax
        HttpResponse<String> response = send("GET", "/api/jobs?run=%00", TOKEN, null, Map.of());
        assertError(response, 500, "its log says why (\"api-jobs failed\")");
        assertThat(response.body()).doesNotContainIgnoringCase("sql").doesNotContain("jdbc");
    }

    @Test
    void aRunOfferedIs201ThenKnownIs200AndNoRequestHeaderIsEchoed() throws Exception {
        String share = "share-" + System.nanoTime();
        var first =
                send("POST", "/api/runs", TOKEN, "{\"name\":\"api_test_1\"}", Map.of("X-Automatix-Share-Token", share));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        assertThat(first.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(first.headers().map().toString()).doesNotContain(share).doesNotContain(TestServices.API_TOKEN);
        assertThat(JSON.readTree(first.body()).get("name").asText()).isEqualTo("api_test_1");
        assertThat(send("POST", "/api/runs", TOKEN, "{\"name\":\"api_test_1\"}", Map.of())
                        .statusCode())
                .isEqualTo(200);
        assertThat(send("GET", "/api/runs/api_test_1", TOKEN, null, Map.of()).statusCode())
                .isEqualTo(200);
    }

    @Test
    void theServedOpenApiNamesExactlyTheRestVerbsAndOnlyThoseUseTheApiConfiguration() throws Exception {
        ModelCamelContext model = (ModelCamelContext) context();
        TreeSet<String> verbs = new TreeSet<>();
        for (RestDefinition rest : model.getRestDefinitions()) {
            for (VerbDefinition verb : rest.getVerbs()) {
                String path = rest.getPath() + (verb.getPath() == null ? "" : verb.getPath());
                verbs.add(verb.asVerb().toUpperCase() + " " + path);
            }
        }
        TreeSet<String> documented = new TreeSet<>();
        JsonNode served = JSON.readTree(
                send("GET", "/api/openapi.json", TOKEN, null, Map.of()).body());
        served.get("paths")
                .fields()
                .forEachRemaining(path -> path.getValue()
                        .fieldNames()
                        .forEachRemaining(method -> documented.add(method.toUpperCase() + " " + path.getKey())));
        try (InputStream in = Api.class.getResourceAsStream("openapi.json")) {
            assertThat(JSON.readTree(in)).isEqualTo(served);
        }
        assertThat(verbs).hasSizeGreaterThan(20).isEqualTo(documented);

        for (RouteDefinition route : model.getRouteDefinitions()) {
            boolean rest = route.getInput().getEndpointUri().startsWith("rest:");
            assertThat("api".equals(route.getRouteConfigurationId()))
                    .as("route %s (from %s) uses routeConfiguration api", route.getRouteId(), route.getInput())
                    .isEqualTo(rest);
        }
    }

    /** Deny by default: a route of the API that declares no role (its group) fails the build, and is refused. */
    @Test
    void everyApiRouteDeclaresTheRoleItNeeds() throws Exception {
        ModelCamelContext model = (ModelCamelContext) context();
        int api = 0;
        for (RouteDefinition route : model.getRouteDefinitions()) {
            if ("api".equals(route.getRouteConfigurationId())) {
                api++;
                assertThat(RouteRoles.needed(context().getRoute(route.getRouteId())))
                        .as(
                                "route %s (from %s) declares its role (group: viewer|scientist|operator|admin)",
                                route.getRouteId(), route.getInput())
                        .isPresent();
            }
        }
        assertThat(api).isGreaterThan(20);
        assertThat(send("GET", "/api/tokens", TOKEN, null, Map.of()).statusCode())
                .isEqualTo(200);
    }

    private void assertError(HttpResponse<String> response, int status, String inError) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(JSON.readTree(response.body()).get("error").asText()).contains(inError);
    }

    private HttpResponse<String> send(
            String method, String path, String authorization, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + path))
                .timeout(Duration.ofSeconds(10))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null && !headers.containsKey("Content-Type")) {
            b.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
