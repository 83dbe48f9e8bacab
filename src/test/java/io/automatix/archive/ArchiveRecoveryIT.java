package io.automatix.archive;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.automatix.embedded.EmbeddedObjectStore;
import io.automatix.testing.RouterProcess;
import io.automatix.testing.RunsDb;
import io.automatix.testing.TestServices;
import io.automatix.testing.Trees;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Archiving against an S3-compatible server of the test's own (S3Proxy on the file system) that is
 * stopped mid-upload, and with a bundle corrupted after its checksum was taken: in both cases no run
 * is marked archived until a verified bundle holds it, and each run ends in exactly one. The router
 * is the jar, whose log must never show the S3 secret; the corruption is test wiring
 * ({@link CorruptingBundles}, bound by camel-main from a setting, the test classes on the class path).
 */
class ArchiveRecoveryIT {

    private final String secret = "secret-" + UUID.randomUUID();
    private final String tag = UUID.randomUUID().toString().substring(0, 6);
    private String database;
    private String vhost;
    private Path work;
    private Path scratch;
    private int s3Port;
    private EmbeddedObjectStore s3;

    @BeforeEach
    void services() throws Exception {
        database = TestServices.createDatabase();
        vhost = TestServices.createVirtualHost();
        work = Files.createTempDirectory("automatix-archive");
        scratch = Files.createDirectories(work.resolve("scratch"));
        s3Port = TestServices.freePort();
        s3 = store();
    }

    @AfterEach
    void drop() {
        s3.stop();
        TestServices.dropDatabase(database);
        TestServices.deleteVirtualHost(vhost);
    }

    @Test
    void anUploadCutOffMidWayIsRetriedAndTheRunsAreArchivedOnce() throws Exception {
        List<String> runs = runs(3, 40_000_000);
        try (RouterProcess router = RouterProcess.start(work, "router.log", settings())) {
            RunsDb db = new RunsDb(database);
            for (String run : runs) {
                db.processed(run, "local");
            }
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(5))
                    .until(() ->
                            "uploading".equals(db.value("SELECT status FROM archive_bundles ORDER BY id LIMIT 1")));
            s3.stop(); // mid-upload
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> "failed".equals(db.value("SELECT status FROM archive_bundles ORDER BY id LIMIT 1")));
            assertThat(db.value("SELECT count(*) FROM runs WHERE raw_status = 'archived'"))
                    .isEqualTo("0");
            s3 = store();
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> "3".equals(db.value("SELECT count(*) FROM runs WHERE raw_status = 'archived'")));
            assertThat(db.value("SELECT string_agg(status, ' ' ORDER BY id) FROM archive_bundles"))
                    .isEqualTo("failed verified");
            assertThat(db.value("SELECT last_error FROM archive_bundles ORDER BY id LIMIT 1"))
                    .startsWith("upload: ");
            assertThat(db.value("SELECT count(DISTINCT raw_location) FROM runs"))
                    .isEqualTo("1");
            assertThat(router.log()).doesNotContain(secret);
        }
    }

    @Test
    void aCorruptedBundleIsCaughtWhenReadBackAndNotMarkedArchived() throws Exception {
        corruptedBundleIsCaught("read-back");
    }

    @Test
    void aCorruptedBundleIsCaughtByItsEtagAndNotMarkedArchived() throws Exception {
        corruptedBundleIsCaught("etag");
    }

    private void corruptedBundleIsCaught(String verify) throws Exception {
        List<String> runs = runs(3, 12_000_000); // 36 MB: a multipart upload of 8 parts
        Map<String, String> settings = settings();
        settings.put("automatix.archive.verify", verify);
        settings.put("camel.beans.corruptingBundles", "#class:" + CorruptingBundles.class.getName());
        try (RouterProcess router = RouterProcess.startWithTestClasses(work, "router.log", settings)) {
            RunsDb db = new RunsDb(database);
            for (String run : runs) {
                db.processed(run, "local");
            }
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> "3".equals(db.value("SELECT count(*) FROM runs WHERE raw_status = 'archived'")));
            assertThat(db.value("SELECT string_agg(status, ' ' ORDER BY id) FROM archive_bundles"))
                    .isEqualTo("failed verified");
            assertThat(db.value("SELECT last_error FROM archive_bundles ORDER BY id LIMIT 1"))
                    .startsWith("verification failed");
            String verified =
                    db.value("SELECT 's3://' || bucket || '/' || key FROM archive_bundles WHERE status = 'verified'");
            assertThat(db.value("SELECT string_agg(DISTINCT raw_location, ' ') FROM runs"))
                    .isEqualTo(verified);
            assertThat(router.log())
                    .contains("Fault injection: flipping a byte")
                    .doesNotContain(secret);
        }
    }

    private EmbeddedObjectStore store() {
        EmbeddedObjectStore store = new EmbeddedObjectStore(work.resolve("s3"), s3Port, "archive-key", secret);
        store.start();
        return store;
    }

    private List<String> runs(int n, long bytes) throws Exception {
        List<String> runs = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            String run = "rec_" + tag + "_" + i;
            Trees.write(scratch.resolve(run), 10 + i, bytes, 1_000);
            runs.add(run);
        }
        return runs;
    }

    private Map<String, String> settings() {
        Map<String, String> s = TestServices.routerSettings(database, vhost, "router-a", work.resolve("data"));
        s.put("automatix.s3.endpoint", "http://127.0.0.1:" + s3Port);
        s.put("automatix.s3.access-key", "archive-key");
        s.put("automatix.s3.secret-key", secret);
        s.put("automatix.clusters.local.scratch", scratch.toString());
        s.put("automatix.process.enabled", "false");
        s.put("automatix.archive.poll-ms", "300");
        s.put("automatix.archive.bundle-runs", "3");
        s.put("automatix.archive.level", "1");
        s.put("automatix.archive.part-size-bytes", String.valueOf(5 * 1024 * 1024));
        return s;
    }
}
