package io.automatix.bench;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.automatix.embedded.EmbeddedObjectStore;
import io.automatix.ssh.CommandResult;
import io.automatix.ssh.LocalShell;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Archive throughput: R runs of M MiB (random data, the worst case for compression) compressed,
 * bundled, uploaded and verified by Automatix (a router in this process, local cluster, level 1
 * zstd), against `tar | zstd -1` plus a plain multipart upload (the SDK, same part size) of the
 * result, to the same S3-compatible server (S3Proxy on the file system), in this process. Also the
 * router's peak heap while it archives. Run by bench/archive-throughput. Arguments: runs, MiB per
 * run, database, vhost, work dir, router home, verification (read-back or etag).
 */
public final class ArchiveBench {

    private static final long PART = 16L * 1024 * 1024;

    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(args[0]);
        int mib = Integer.parseInt(args[1]);
        String database = args[2];
        String vhost = args[3];
        Path work = Path.of(args[4]);
        Path home = Path.of(args[5]);
        String verify = args[6];
        Path scratch = Files.createDirectories(work.resolve("scratch"));
        LocalShell shell = new LocalShell();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            String run = "ar" + i;
            Files.createDirectories(scratch.resolve(run));
            run(shell, "head -c " + (mib * 1024L * 1024L) + " /dev/urandom > " + scratch.resolve(run + "/data.bin"));
            names.add(run);
        }
        int port = 19292;
        EmbeddedObjectStore store = new EmbeddedObjectStore(work.resolve("s3"), port, "bench", "bench-secret");
        store.start();
        try {
            S3Client s3 = S3Client.builder()
                    .region(Region.US_EAST_1)
                    .forcePathStyle(true)
                    .endpointOverride(URI.create("http://127.0.0.1:" + port))
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .credentialsProvider(
                            StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench-secret")))
                    .build();
            s3.createBucket(b -> b.bucket("automatix-archive"));

            long t0 = System.nanoTime();
            Path base = work.resolve("baseline.tar.zst");
            run(shell, "tar -cf - -C " + scratch + " " + String.join(" ", names) + " | zstd -q -1 -T0 -o " + base);
            multipartUpload(s3, base, "baseline.tar.zst");
            double baseline = (System.nanoTime() - t0) / 1e9;
            Files.delete(base);

            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            AtomicLong peak = new AtomicLong();
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            String url = "jdbc:postgresql://127.0.0.1:5432/" + database;
            double automatix;
            try (BenchRouter router = new BenchRouter(
                            home,
                            database,
                            vhost,
                            BenchRouter.testAccount(),
                            work.resolve("unused"),
                            "automatix.s3.endpoint",
                            "http://127.0.0.1:" + port,
                            "automatix.s3.access-key",
                            "bench",
                            "automatix.s3.secret-key",
                            "bench-secret",
                            "automatix.clusters.local.scratch",
                            scratch.toString(),
                            "automatix.process.enabled",
                            "false",
                            "automatix.archive.level",
                            "1",
                            "automatix.archive.bundle-runs",
                            String.valueOf(runs),
                            "automatix.archive.poll-ms",
                            "200",
                            "automatix.archive.part-size-bytes",
                            String.valueOf(PART),
                            "automatix.archive.verify",
                            verify);
                    Connection c = DriverManager.getConnection(url, "postgres", "postgres");
                    Statement s = c.createStatement()) {
                System.gc();
                peak.set(0);
                sampler.start();
                long t1 = System.nanoTime();
                s.execute(
                        "INSERT INTO runs (name, raw_status, processed_status, cluster) SELECT 'ar' || i, 'ondeck', 'processed',"
                                + " 'local' FROM generate_series(0, " + (runs - 1) + ") i");
                BenchRouter.awaitRuns(s, "raw_status", "archived", "%failed", runs);
                automatix = (System.nanoTime() - t1) / 1e9;
                sampler.interrupt();
            }
            double gib = runs * (double) mib / 1024;
            System.out.printf(
                    "archive: %d runs x %d MiB (%.2f GiB, random data), zstd -1, multipart parts of %d MiB, S3Proxy%n",
                    runs, mib, gib, PART >> 20);
            System.out.printf(
                    "baseline (tar | zstd -1, then one multipart upload): %.1f s, %.0f MiB/s%n",
                    baseline, gib * 1024 / baseline);
            System.out.printf(
                    "Automatix (compress, bundle with manifest, upload, verify by %s): %.1f s, %.0f MiB/s%n",
                    verify, automatix, gib * 1024 / automatix);
            System.out.printf(
                    "ratio: Automatix throughput is %.2fx the baseline (target >= 0.8x)%n", baseline / automatix);
            System.out.printf(
                    "router peak heap while archiving: %d MiB (target < 256 MiB; -Xmx%d MiB)%n",
                    peak.get() >> 20, Runtime.getRuntime().maxMemory() >> 20);
        } finally {
            store.stop();
        }
    }

    private static void multipartUpload(S3Client s3, Path file, String key) throws Exception {
        String id = s3.createMultipartUpload(b -> b.bucket("automatix-archive").key(key))
                .uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        long size = Files.size(file);
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = 1; (long) (n - 1) * PART < size; n++) {
                long length = Math.min(PART, size - (long) (n - 1) * PART);
                int part = n;
                String etag = s3.uploadPart(
                                b -> b.bucket("automatix-archive")
                                        .key(key)
                                        .uploadId(id)
                                        .partNumber(part)
                                        .contentLength(length),
                                RequestBody.fromBytes(in.readNBytes((int) length)))
                        .eTag();
                parts.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
            }
        }
        s3.completeMultipartUpload(
                b -> b.bucket("automatix-archive").key(key).uploadId(id).multipartUpload(m -> m.parts(parts)));
    }

    private static void run(LocalShell shell, String command) throws Exception {
        CommandResult r = shell.run(List.of("sh", "-c", command), java.time.Duration.ofHours(1));
        if (!r.succeeded()) {
            throw new IllegalStateException(command + ": " + r.summary());
        }
    }
}
