package io.automatix.bench;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

import io.automatix.Automatix;
import io.automatix.ssh.SshTarget;
import org.apache.camel.main.Main;

/** A router in the benchmark's process, on the provisioned PostgreSQL, RabbitMQ and SLURM (cluster hpc). */
final class BenchRouter implements AutoCloseable {

    private final Main main;
    private final CompletableFuture<Void> running;

    BenchRouter(Path home, String database, String vhost, SshTarget target, Path scratch, String... properties)
            throws InterruptedException {
        main = Automatix.newMain(home.toString());
        main.addOverrideProperty("automatix.allow-root", "true"); // benchmarks run as root on CI
        main.addOverrideProperty(
                "automatix.data-dir", scratch.resolveSibling("router-data").toString());
        main.addOverrideProperty("automatix.db.url", "jdbc:postgresql://127.0.0.1:5432/" + database);
        main.addOverrideProperty("automatix.db.password", "postgres");
        main.addOverrideProperty("automatix.amqp.host", "127.0.0.1");
        main.addOverrideProperty("automatix.amqp.virtual-host", vhost);
        main.addOverrideProperty("automatix.clusters.hpc.host", target.host());
        main.addOverrideProperty("automatix.clusters.hpc.port", String.valueOf(target.port()));
        main.addOverrideProperty("automatix.clusters.hpc.user", target.user());
        main.addOverrideProperty("automatix.clusters.hpc.key", target.keyFile().toString());
        main.addOverrideProperty(
                "automatix.clusters.hpc.known-hosts", target.knownHosts().toString());
        main.addOverrideProperty("automatix.clusters.hpc.scratch", scratch.toString());
        main.addOverrideProperty("automatix.clusters.hpc.push-url", "amqp://guest:guest@127.0.0.1:5672/" + vhost);
        main.addOverrideProperty("automatix.process.plan-ms", "200");
        main.addOverrideProperty("camel.server.port", "18181");
        main.addOverrideProperty("camel.management.port", "18181");
        main.addOverrideProperty("automatix.embedded.s3-port", "19191");
        for (int i = 0; i + 1 < properties.length; i += 2) {
            main.addOverrideProperty(properties[i], properties[i + 1]);
        }
        running = CompletableFuture.runAsync(() -> {
            try {
                main.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        while (main.getCamelContext() == null || !main.getCamelContext().isStarted()) {
            if (running.isDone()) {
                running.join();
            }
            Thread.sleep(100);
        }
    }

    /** The provisioned SSH account on this machine's sshd (scripts/provision), which submits to SLURM. */
    static SshTarget testAccount() {
        Path keys = Path.of(System.getenv().getOrDefault("AUTOMATIX_TEST_HOME", "/var/lib/automatix-test"), "ssh");
        return SshTarget.fromSettings(
                "bench",
                "bench.",
                java.util.Map.of(
                        "host", "127.0.0.1",
                        "port", "2222",
                        "user", "automatix-test",
                        "key", keys.resolve("id_ed25519").toString(),
                        "known-hosts", keys.resolve("known_hosts").toString()));
    }

    /** Waits until n runs have {@code column = done}; fails as soon as one has {@code column LIKE failed}. */
    static void awaitRuns(java.sql.Statement s, String column, String done, String failed, int n) throws Exception {
        while (true) {
            try (java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE " + column + " = '" + done
                    + "')," + " count(*) FILTER (WHERE " + column + " LIKE '" + failed + "') FROM runs")) {
                rs.next();
                if (rs.getInt(2) > 0) {
                    throw new IllegalStateException(rs.getInt(2) + " run(s) " + failed);
                }
                if (rs.getInt(1) == n) {
                    return;
                }
            }
            Thread.sleep(200);
        }
    }

    @Override
    public void close() {
        main.completed();
        running.join();
    }
}
