package io.automatix;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.automatix.amqp.AmqpSettings;
import io.automatix.config.Settings;
import io.automatix.db.DatabaseSettings;
import io.automatix.embedded.EmbeddedBroker;
import io.automatix.embedded.EmbeddedDatabase;
import io.automatix.embedded.EmbeddedObjectStore;
import io.automatix.objectstore.ObjectStoreSettings;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database, broker and object store: each external when configured and embedded otherwise
 * ({@code automatix.embedded.*-port}, data under the data directory). The startup log says which,
 * one line each. {@code embedded} are the services this router started.
 */
record Backends(DatabaseSettings db, AmqpSettings amqp, ObjectStoreSettings s3, List<ServiceSupport> embedded) {

    private static final Logger LOG = LoggerFactory.getLogger(Backends.class);

    /** Starts the embedded ones side by side: the slowest (PostgreSQL) sets the startup time. */
    static Backends start(Settings settings, Path data) {
        DatabaseSettings db = DatabaseSettings.from(settings);
        AmqpSettings amqp = AmqpSettings.from(settings);
        ObjectStoreSettings s3 = ObjectStoreSettings.from(settings);
        List<ServiceSupport> embedded = new ArrayList<>();
        String dbIs = "external " + db.safeUrl();
        String amqpIs = "external AMQP broker at " + amqp.host() + ":" + amqp.port();
        String s3Is = "external S3 at " + s3.endpoint();
        if (!db.external()) {
            EmbeddedDatabase database =
                    new EmbeddedDatabase(data.resolve("postgres"), settings.getInt("automatix.embedded.db-port"));
            embedded.add(database);
            db = db.withUrl(database.jdbcUrl());
            dbIs = database.describe();
        }
        if (!amqp.external()) {
            int port = settings.getInt("automatix.embedded.amqp-port");
            EmbeddedBroker broker = new EmbeddedBroker(data.resolve("broker"), port, amqp.user(), amqp.password());
            embedded.add(broker);
            amqp = amqp.onLoopback(port);
            amqpIs = broker.describe();
        }
        if (!s3.external()) {
            EmbeddedObjectStore store = new EmbeddedObjectStore(
                    data.resolve("s3"), settings.getInt("automatix.embedded.s3-port"), s3.accessKey(), s3.secretKey());
            embedded.add(store);
            s3 = s3.withEndpoint(store.endpoint());
            s3Is = store.describe();
        }
        CompletableFuture.allOf(embedded.stream()
                        .map(service -> CompletableFuture.runAsync(service::start))
                        .toArray(CompletableFuture[]::new))
                .join();
        LOG.info("Database: {}", dbIs);
        LOG.info("Broker: {}", amqpIs);
        LOG.info("Object store: {}", s3Is);
        return new Backends(db, amqp, s3, embedded);
    }

    /** The CamelContext stops the embedded services when it stops, after everything that uses them. */
    void stopWith(CamelContext context) throws Exception {
        for (ServiceSupport service : embedded) {
            context.addService(service, true, false);
        }
    }

    /** For a router that failed to start: its context never started, so it will not stop them. */
    void stop() {
        embedded.forEach(ServiceSupport::stop);
    }
}
