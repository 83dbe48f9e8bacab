package io.automatix.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.automatix.testing.RunningRouter;
import io.automatix.testing.RunsDb;
import io.automatix.testing.TestHome;
import io.automatix.testing.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run's metadata reaches a real job script quoted, on the local cluster and on SLURM: a note of
 * {@code $(touch canary)}, a quote that ends a quoted word, and backticks are written by the job
 * as the text they are, and the canary never appears.
 */
class QuotedMetadataIT {

    private static final String TAG = UUID.randomUUID().toString().substring(0, 6);

    private static String database;
    private static String vhost;
    private static Path local;
    private static Path shared;
    private static RunningRouter router;
    private static RunsDb db;

    @BeforeAll
    static void start() throws Exception {
        TestServices.requireSshKey();
        database = TestServices.createDatabase();
        vhost = TestServices.createVirtualHost();
        db = new RunsDb(database);
        local = Files.createTempDirectory("scratch");
        shared = TestServices.sharedDirectory("scratch", true);
        Path home = TestHome.copyOfProject()
                .with("process/metadata.sh.ftl", "templates/test/metadata.sh.ftl")
                .with("process/metadata.yaml", "pipelines/metadata.yaml")
                .path();
        router = RunningRouter.builder()
                .home(home)
                .services(database, vhost)
                .sshHost("automatix.clusters.hpc")
                .property("automatix.clusters.local.scratch", local.toString())
                .property("automatix.clusters.hpc.scratch", shared.toString())
                .property("automatix.clusters.hpc.push-url", "amqp://guest:guest@127.0.0.1:5672/" + vhost)
                .property("automatix.process.plan-ms", "500")
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (router != null) {
                router.close();
            }
        } finally {
            TestServices.dropDatabase(database);
            TestServices.deleteVirtualHost(vhost);
        }
    }

    @Test
    void metadataReachesALocalJobQuoted() throws Exception {
        hostileMetadataIsWrittenAsText("local", local, "mq_local_" + TAG);
    }

    @Test
    void metadataReachesASlurmJobQuoted() throws Exception {
        hostileMetadataIsWrittenAsText("hpc", shared, "mq_slurm_" + TAG);
    }

    private static void hostileMetadataIsWrittenAsText(String cluster, Path scratch, String run) throws Exception {
        Path canary = scratch.resolve("canary-" + run);
        String note = "$(touch " + canary + ")";
        String quote = "it's'; touch " + canary + "; echo '";
        String ticks = "`touch " + canary + "`\nsecond line";
        String metadata =
                new ObjectMapper().writeValueAsString(java.util.Map.of("note", note, "quote", quote, "ticks", ticks));
        db.update(
                "INSERT INTO runs (name, raw_status, cluster, pipeline, metadata)"
                        + " VALUES (?, 'ondeck', ?, 'metadata', ?::jsonb)",
                run,
                cluster,
                metadata);
        db.awaitProcessed(run, Duration.ofSeconds(90));
        Path dir = scratch.resolve(run);
        String script = Files.readString(dir.resolve(".automatix/" + run + ".write.1.sh"));
        assertThat(script)
                .contains("printf '%s\\n' '$(touch " + canary + ")' 'it'\\''s'\\''; touch " + canary
                        + "; echo '\\''' '`touch " + canary + "`\nsecond line' " + run + " > metadata.out");
        assertThat(Files.readString(dir.resolve("metadata.out")))
                .isEqualTo(note + "\n" + quote + "\n" + ticks + "\n" + run + "\n");
        assertThat(canary).doesNotExist();
    }
}
