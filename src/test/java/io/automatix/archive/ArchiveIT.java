package io.automatix.archive;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.automatix.testing.RunningRouter;
import io.automatix.testing.RunsDb;
import io.automatix.testing.TestServices;
import io.automatix.testing.Trees;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The archive flow against a real S3-compatible server (the router's S3Proxy), real PostgreSQL and,
 * for the cluster hpc, real SSH: processed runs are compressed where they lie, bundled, uploaded,
 * verified, and restored byte for byte.
 */
class ArchiveIT {

    private static final String TAG = UUID.randomUUID().toString().substring(0, 6);
    private static Path localScratch;
    private static Path hpcScratch;
    private static RunningRouter router;
    private static RunsDb db;

    @BeforeAll
    static void start() throws Exception {
        TestServices.requireSshKey();
        localScratch = Files.createTempDirectory("scratch");
        hpcScratch = TestServices.sharedDirectory("scratch", true);
        router = RunningRouter.builder()
                .property("automatix.process.enabled", "false")
                .property("automatix.clusters.local.scratch", localScratch.toString())
                .sshHost("automatix.clusters.hpc")
                .property("automatix.clusters.hpc.scratch", hpcScratch.toString())
                .property("automatix.archive.poll-ms", "500")
                .property("automatix.archive.bundle-runs", "10")
                .property("automatix.archive.bundle-age-seconds", "3600")
                .property("automatix.archive.part-size-bytes", String.valueOf(5 * 1024 * 1024))
                .start();
        db = new RunsDb(router.database());
    }

    @AfterAll
    static void stop() throws Exception {
        if (router != null) {
            router.close();
        }
    }

    @Test
    void tenProcessedRunsAreBundledUploadedVerifiedAndRestoredByteForByte() throws Exception {
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String run = "arc_" + TAG + "_" + i;
            Trees.write(localScratch.resolve(run), 1, i == 0 ? 12_000_000 : 200_000, 5, 0, 3_000, 1000 + i);
            runs.add(run);
            db.processed(run, "local");
        }
        await().atMost(Duration.ofSeconds(90)).until(() -> {
            for (String r : runs) {
                if (!"archived".equals(rawStatus(r))) {
                    return false;
                }
            }
            return true;
        });
        String location = db.value("SELECT raw_location FROM runs WHERE name = ?", runs.get(0));
        assertThat(location)
                .startsWith("s3://automatix-archive/bundles/bundle-")
                .endsWith(".tar");
        for (String run : runs) {
            assertThat(db.value("SELECT raw_location FROM runs WHERE name = ?", run))
                    .isEqualTo(location);
        }
        String key = location.substring("s3://automatix-archive/".length());
        S3Client s3 = router.context().getRegistry().lookupByNameAndType("amazonS3Client", S3Client.class);
        assertThat(s3.headObject(b -> b.bucket("automatix-archive").key(key)).contentLength())
                .isEqualTo(Long.parseLong(db.value("SELECT size_bytes FROM archive_bundles WHERE key = ?", key)));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("automatix-archive").key(key.replace(".tar", ".manifest.json")))
                        .asUtf8String())
                .contains("\"run\" : \"" + runs.get(3) + "\"")
                .contains("\"sha256\"");
        Archiver archiver = router.context().getRegistry().lookupByNameAndType("archiver", Archiver.class);
        for (String run : runs) {
            Path target = Files.createTempDirectory("restore");
            assertThat(archiver.restore(run, target))
                    .isEqualTo(Trees.digest(localScratch.resolve(run)).size());
            assertThat(Trees.digest(target.resolve(run))).isEqualTo(Trees.digest(localScratch.resolve(run)));
        }
    }

    @Test
    void aRunAloneIsBundledWhenItHasWaitedLongEnoughAndComesFromItsClusterOverSsh() throws Exception {
        String run = "age_" + TAG;
        Trees.write(hpcScratch.resolve(run), 1, 1_000_000, 3, 0, 2_000, 77);
        db.processed(run, "hpc");
        await().atMost(Duration.ofSeconds(30)).until(() -> "compressed".equals(rawStatus(run)));
        // the age limit passes for this run only: no other run waits
        db.update("UPDATE runs SET compressed_at = now() - interval '2 hours' WHERE name = ?", run);
        await().atMost(Duration.ofSeconds(30)).until(() -> "archived".equals(rawStatus(run)));
        assertThat(db.value("SELECT archive_file FROM runs WHERE name = ?", run))
                .isEqualTo(hpcScratch
                        .resolve(".automatix-archive/" + run + ".tar.zst")
                        .toString());
        Path target = Files.createTempDirectory("restore");
        router.context()
                .getRegistry()
                .lookupByNameAndType("archiver", Archiver.class)
                .restore(run, target);
        assertThat(Trees.digest(target.resolve(run))).isEqualTo(Trees.digest(hpcScratch.resolve(run)));
    }

    private static String rawStatus(String run) throws Exception {
        String status = db.value("SELECT raw_status || coalesce(' ' || last_error, '') FROM runs WHERE name = ?", run);
        assertThat(status).doesNotContain("failed");
        return status;
    }
}
