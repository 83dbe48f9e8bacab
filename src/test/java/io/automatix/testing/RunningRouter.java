package io.automatix.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.automatix.Automatix;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.main.Main;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.CamelContextHelper;

/**
 * The real application, started in this JVM as {@code java -jar} starts it, on the real
 * PostgreSQL and RabbitMQ of {@link TestServices}, each router with its own database and vhost.
 */
public final class RunningRouter implements AutoCloseable {

    private final Main main;
    private final CompletableFuture<Void> running;
    private final int port;
    private final String database;
    private final String vhost;
    private final boolean ownsServices;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private RunningRouter(
            Main main, CompletableFuture<Void> running, int port, String database, String vhost, boolean ownsServices) {
        this.main = main;
        this.running = running;
        this.port = port;
        this.database = database;
        this.vhost = vhost;
        this.ownsServices = ownsServices;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private final Map<String, String> properties = new LinkedHashMap<>();
        private Path home = TestServices.PROJECT;
        private String database;
        private String vhost;

        public Builder property(String key, String value) {
            properties.put(key, value);
            return this;
        }

        /** {@code <prefix>.host/port/user/key/known-hosts} for a host reached through the test sshd. */
        public Builder sshHost(String prefix) {
            return sshHost(prefix, TestServices.SSH_PORT, TestServices.SSH_KNOWN_HOSTS);
        }

        /** The same through another port (a proxy) and known_hosts file. */
        public Builder sshHost(String prefix, int port, Path knownHosts) {
            TestServices.sshHost(properties, prefix, port, knownHosts);
            return this;
        }

        public Builder home(Path home) {
            this.home = home;
            return this;
        }

        /** Share a database and vhost (several routers, or a restart); the caller drops them. */
        public Builder services(String database, String vhost) {
            this.database = database;
            this.vhost = vhost;
            return this;
        }

        public RunningRouter start() throws Exception {
            boolean owns = database == null;
            String db = owns ? TestServices.createDatabase() : database;
            String vh = owns ? TestServices.createVirtualHost() : vhost;
            int port = TestServices.freePort();
            Path data = Files.createTempDirectory("automatix-it-data");
            Main main = Automatix.newMain(home.toString());
            Map<String, String> all = new LinkedHashMap<>();
            // the tests run as root on CI; ServiceUserIT checks the refusal itself
            all.put("automatix.allow-root", "true");
            all.put("automatix.data-dir", data.toString());
            all.put("automatix.db.url", TestServices.jdbcUrl(db));
            all.put("automatix.db.user", TestServices.DB_USER);
            all.put("automatix.db.password", TestServices.DB_PASSWORD);
            all.put("automatix.amqp.host", TestServices.AMQP_HOST);
            all.put("automatix.amqp.port", String.valueOf(TestServices.AMQP_PORT));
            all.put("automatix.amqp.virtual-host", vh);
            all.put("automatix.embedded.s3-port", String.valueOf(TestServices.freePort()));
            all.put("automatix.api.users", TestServices.API_USERS);
            all.putAll(TestServices.ROOTS);
            all.put("camel.server.port", String.valueOf(port));
            all.put("camel.management.port", String.valueOf(port));
            all.putAll(properties);
            all.forEach(main::addOverrideProperty);
            CompletableFuture<Void> running = CompletableFuture.runAsync(() -> {
                try {
                    main.run();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            RunningRouter router = new RunningRouter(main, running, port, db, vh, owns);
            router.awaitStarted();
            return router;
        }
    }

    private void awaitStarted() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (running.isDone()) {
                running.get(); // rethrows the startup failure
                throw new IllegalStateException("router stopped during startup");
            }
            CamelContext context = main.getCamelContext();
            if (context != null
                    && context.getStatus() == ServiceStatus.Started
                    && !context.getRouteController().isStartingRoutes()
                    && !context.getRoutes().isEmpty()
                    && context.getRoutes().stream()
                            // a route switched off by its settings (autoStartup false) is not waited for
                            .allMatch(r -> !autoStarts(context, r.getRouteId())
                                    || context.getRouteController().getRouteStatus(r.getRouteId())
                                            == ServiceStatus.Started)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("router did not start within 60 s");
    }

    /**
     * Whether the route starts with the router: false only where its file says {@code autoStartup}
     * false (the example route downstream unless automatix.downstream.enabled). Read from the route's
     * definition, since {@code Route.isAutoStartup()} is false for every route under the supervising
     * route controller.
     */
    public static boolean autoStarts(CamelContext context, String routeId) {
        RouteDefinition definition = ((ModelCamelContext) context).getRouteDefinition(routeId);
        return definition == null
                || definition.getAutoStartup() == null
                || CamelContextHelper.parseBoolean(context, definition.getAutoStartup());
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public String database() {
        return database;
    }

    public String vhost() {
        return vhost;
    }

    public Connection db() throws SQLException {
        return TestServices.connect(database);
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(url(path)))
                        .timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + TestServices.API_TOKEN)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, String contentType, byte[] body)
            throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(url(path)))
                        .timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + TestServices.API_TOKEN)
                        .header("Content-Type", contentType)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
        return post(path, "application/json", json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Stops the router; the database and vhost stay for a restart unless this router made them. */
    public void stop() throws Exception {
        main.completed();
        running.get(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        try {
            stop();
        } finally {
            if (ownsServices) {
                TestServices.dropDatabase(database);
                TestServices.deleteVirtualHost(vhost);
            }
        }
    }
}
