package io.automatix.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.camel.support.service.ServiceSupport;

/** A PostgreSQL server run by the router itself, its data kept under {@code data/postgres}. */
public final class EmbeddedDatabase extends ServiceSupport {

    private final Path dataDirectory;
    private final int port;
    private EmbeddedPostgres postgres;

    public EmbeddedDatabase(Path dataDirectory, int port) {
        this.dataDirectory = dataDirectory.toAbsolutePath();
        this.port = port;
    }

    @Override
    protected void doStart() throws Exception {
        Files.createDirectories(dataDirectory);
        postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false) // the builder's default deletes the data on close
                // Stopped by the CamelContext after the routes and quartz, not by a JVM hook racing them.
                .setRegisterShutdownHook(false)
                .setPort(port)
                .setPGStartupWait(Duration.ofSeconds(30))
                .start();
    }

    @Override
    protected void doStop() throws Exception {
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public String describe() {
        return "embedded PostgreSQL on 127.0.0.1:" + port + ", data in " + dataDirectory;
    }
}
