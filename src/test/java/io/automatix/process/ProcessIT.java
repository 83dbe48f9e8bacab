package io.automatix.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.automatix.testing.RunningRouter;
import io.automatix.testing.RunsDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The process flow on the local cluster (jobs as local processes, status pushed to the real
 * RabbitMQ with amqp-publish) with the shipped pipelines and templates.
 */
class ProcessIT {

    private static Path scratch;
    private static RunningRouter router;

    @BeforeAll
    static void start() throws Exception {
        scratch = Files.createTempDirectory("scratch");
        router = RunningRouter.builder()
                .property("automatix.clusters.local.scratch", scratch.toString())
                .property("automatix.process.plan-ms", "500")
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (router != null) {
            router.close();
        }
    }

    @Test
    void anOndeckRunIsProcessedByTheFulliautomatixPipeline() throws Exception {
        RunsDb db = new RunsDb(router.database());
        Path data = Files.createDirectories(scratch.resolve("run_local"));
        Files.writeString(data.resolve("events.bin"), "raw");
        db.ondeck("run_local", "local", null);
        db.awaitProcessed("run_local", Duration.ofSeconds(60));
        assertThat(Files.readString(data.resolve("processed/inventory.txt"))).contains("./events.bin");
        assertThat(Files.readString(data.resolve(".automatix/run_local.process.1.status")))
                .startsWith("finished 0 ");
        assertThat(db.transitions("run", "run_local"))
                .containsSubsequence("none>queued", "queued>processing", "processing>processed");
        assertThat(db.transitions("job", "run_local.process.1"))
                .containsExactly(
                        ">pending", "pending>submitting", "submitting>queued", "queued>running", "running>succeeded");
    }
}
