package io.automatix.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.automatix.cluster.Cluster;
import io.automatix.cluster.Clusters;
import io.automatix.db.Transactions;
import io.automatix.run.InvalidInputException;
import io.automatix.run.Roots;
import io.automatix.ssh.CommandResult;
import io.automatix.ssh.LocalShell;
import io.automatix.ssh.NeedsLogin;
import io.automatix.ssh.Shell;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * The archive flow: processed runs are compressed where they lie (tar | zstd on the cluster, with
 * size, SHA-256 and file list recorded); when enough wait (count, bytes or age) they are bundled on
 * this host into one tar with a manifest; the route uploads it (camel-aws2-s3, multipart, streamed
 * from disk) and the manifest; the stored object is read back and its SHA-256 compared before the
 * runs become {@code archived} at {@code s3://bucket/key}. A failed upload or a mismatch fails the
 * bundle, never the runs: they go into the next bundle.
 */
public final class Archiver {

    private static final Logger LOG = LoggerFactory.getLogger(Archiver.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ArchiveStore store;
    private final ArchiveSettings settings;
    private final Clusters clusters;
    private final S3Client s3;
    private final Path staging;
    private final BundleObserver observer;
    private final Roots restoreRoots;
    private final Shell local = new LocalShell();

    public Archiver(
            Transactions transactions,
            String router,
            ArchiveSettings settings,
            Clusters clusters,
            S3Client s3,
            Path staging,
            BundleObserver observer,
            Roots restoreRoots) {
        this.store = new ArchiveStore(transactions, router);
        this.restoreRoots = restoreRoots;
        this.settings = settings;
        this.clusters = clusters;
        this.s3 = s3;
        this.staging = staging;
        this.observer = observer;
    }

    // --- compress --------------------------------------------------------------------------------

    /** Compresses the processed runs this router claims, each where its data is. */
    public int compress() {
        if (!settings.enabled()) {
            return 0;
        }
        int done = 0;
        List<String> waiting = clusters.all().stream()
                .filter(c -> clusters.needsLogin(c).isPresent())
                .map(Cluster::name)
                .toList();
        for (ArchiveStore.RunToCompress run : store.claimCompress(4, settings.lease(), waiting)) {
            try {
                compress(run);
                done++;
            } catch (NeedsLogin e) {
                LOG.info("Compressing {} waits: {}", run.name(), e.getMessage());
                store.compressFailed(run.id(), e.getMessage(), false, true);
            } catch (IOException e) {
                LOG.warn("Compressing {} failed, will try again: {}", run.name(), e.getMessage());
                store.compressFailed(run.id(), e.getMessage(), false, false);
            } catch (RuntimeException e) {
                LOG.warn("Compressing {} failed: {}", run.name(), e.getMessage());
                store.compressFailed(run.id(), e.getMessage(), true, false);
            }
        }
        return done;
    }

    private void compress(ArchiveStore.RunToCompress run) throws IOException {
        Cluster cluster = cluster(run.cluster());
        // the archive's paths start with the run's name, the last part of its directory
        String dir = String.valueOf(Path.of(cluster.runDirectory(run.name())).getParent());
        String out = ".automatix-archive/" + run.name() + settings.extension();
        String compressor = settings.codec().equals("gzip")
                ? "gzip -" + settings.level() + " > \"$out.part\""
                : "zstd -q -" + settings.level() + " -T0 -f -o \"$out.part\"";
        // the run's files with their sizes (for the manifest), then the archive, its size and checksum
        String script = "set -eu\ncd -- \"$1\"\nout=$3\nmkdir -p .automatix-archive\n"
                + "find \"$2\" -type f -printf 'file %P\\t%s\\n'\n"
                + "tar -cf - -- \"$2\" | " + compressor + "\nmv -f \"$out.part\" \"$out\"\n"
                + "printf 'archive %s %s %s\\n' \"$(pwd)/$out\" \"$(stat -c %s \"$out\")\" \"$(sha256sum \"$out\" | cut -d' ' -f1)\"\n";
        CommandResult r = clusters.shell(cluster)
                .run(List.of("sh", "-c", script, "sh", dir, run.name(), out), settings.timeout());
        if (!r.succeeded()) {
            throw new IllegalStateException("compressing on " + cluster.name() + ": " + r.summary());
        }
        List<Map<String, Object>> files = new ArrayList<>();
        String[] archive = null;
        for (String line : r.stdout().split("\n")) {
            if (line.startsWith("file ")) {
                String[] f = line.substring(5).split("\t", 2);
                files.add(Map.of("path", f[0], "bytes", Long.parseLong(f[1].strip())));
            } else if (line.startsWith("archive ")) {
                archive = line.substring(8).split(" ");
            }
        }
        if (archive == null || archive.length != 3) {
            throw new IllegalStateException("compressing on " + cluster.name() + ": no archive line in " + r.summary());
        }
        store.compressed(run.id(), archive[0], Long.parseLong(archive[1]), archive[2], JSON.writeValueAsString(files));
        LOG.info("Run {} compressed on {}: {} bytes", run.name(), cluster.name(), archive[1]);
    }

    // --- bundle ----------------------------------------------------------------------------------

    /** A bundle when enough compressed runs wait (count or bytes) or the oldest waited long enough. */
    public List<Bundle> bundle() {
        if (!settings.enabled()) {
            return List.of();
        }
        store.failStale(settings.lease());
        ArchiveStore.Waiting w = store.waiting();
        if (w.runs() == 0
                || (w.runs() < settings.bundleRuns()
                        && w.bytes() < settings.bundleBytes()
                        && w.oldestSeconds() < settings.bundleAge().toSeconds())) {
            return List.of();
        }
        Map.Entry<Long, List<ArchiveStore.Member>> created =
                store.createBundle(settings.bucket(), settings.keyPrefix(), settings.bundleRuns());
        if (created.getValue().isEmpty()) {
            return List.of();
        }
        long id = created.getKey();
        try {
            return List.of(build(id, created.getValue()));
        } catch (IOException | RuntimeException e) {
            LOG.warn("Bundle {} could not be built: {}", id, e.getMessage());
            store.failed(id, "build: " + e.getMessage());
            return List.of();
        }
    }

    private Bundle build(long id, List<ArchiveStore.Member> runMembers) throws IOException {
        Path dir = Files.createDirectories(staging.resolve("bundle-" + id));
        List<Map<String, Object>> runs = new ArrayList<>();
        // tar takes each archive where it is: in place on this host, fetched into the staging directory otherwise
        List<String> members = new ArrayList<>(List.of("-C", dir.toString(), "manifest.json"));
        for (ArchiveStore.Member m : runMembers) {
            String name = m.name() + settings.extension();
            Cluster cluster = cluster(m.cluster());
            Path file = Path.of(m.file());
            if (cluster.remote() || !file.getFileName().toString().equals(name)) {
                clusters.fetch(cluster, m.file(), dir.resolve(name), settings.timeout());
                file = dir.resolve(name);
            }
            members.addAll(List.of("-C", file.getParent().toString(), name));
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("run", m.name());
            run.put("archive", name);
            run.put("bytes", m.bytes());
            run.put("sha256", m.sha256());
            run.put("files", JSON.readTree(m.files()));
            runs.add(run);
        }
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("bundle", id);
        manifest.put("codec", settings.codec());
        manifest.put("runs", runs);
        String manifestJson = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(manifest);
        Files.writeString(dir.resolve("manifest.json"), manifestJson);
        Path tar = staging.resolve("bundle-" + id + ".tar");
        List<String> argv = new ArrayList<>(List.of("tar", "-cf", tar.toString()));
        argv.addAll(members);
        check(local.run(argv, settings.timeout()), "tar");
        deleteTree(dir);
        long bytes = Files.size(tar);
        BundleDigest digest = BundleDigest.of(tar, settings.partSize());
        observer.built(id, tar);
        Path manifestFile = Files.writeString(staging.resolve("bundle-" + id + ".manifest.json"), manifestJson);
        String key = settings.keyPrefix() + "bundle-" + id + ".tar";
        if (!store.built(id, bytes, digest.sha256(), manifestJson)) {
            throw new IllegalStateException("bundle " + id + " is no longer this router's");
        }
        LOG.info(
                "Bundle {}: {} run(s), {} bytes, uploading to s3://{}/{}",
                id,
                runMembers.size(),
                bytes,
                settings.bucket(),
                key);
        return new Bundle(
                id,
                key,
                key.replaceFirst("\\.tar$", ".manifest.json"),
                tar.toFile(),
                manifestFile.toFile(),
                bytes,
                digest);
    }

    // --- verify ----------------------------------------------------------------------------------

    /**
     * After the upload: the stored object's size and checksum must be the bundle's; then its runs are
     * archived. {@code read-back} reads the object in full (streamed) and compares its SHA-256;
     * {@code etag} compares the ETag the store computed from the bytes it received (a HEAD). A
     * mismatch fails the bundle and its runs wait for the next.
     */
    public void verify(Bundle bundle) {
        String stored;
        long bytes;
        boolean same;
        if (settings.verify().equals("etag")) {
            var head = s3.headObject(b -> b.bucket(settings.bucket()).key(bundle.key()));
            bytes = head.contentLength();
            stored = "etag " + head.eTag();
            same = bundle.digest().etags().contains(head.eTag().replace("\"", ""));
        } else {
            try (ResponseInputStream<GetObjectResponse> in =
                    s3.getObject(b -> b.bucket(settings.bucket()).key(bundle.key()))) {
                bytes = in.response().contentLength();
                stored = "sha256 " + sha256(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            same = stored.equals("sha256 " + bundle.digest().sha256());
        }
        if (bytes != bundle.bytes() || !same) {
            String error = "verification failed: stored " + bytes + " bytes " + stored + ", built " + bundle.bytes()
                    + " bytes sha256 " + bundle.digest().sha256() + " etags "
                    + bundle.digest().etags();
            LOG.warn("Bundle {}: {}; its runs go into the next bundle", bundle.id(), error);
            store.failed(bundle.id(), error);
            cleanUp(bundle);
            return;
        }
        List<String[]> archived = store.verified(bundle.id());
        LOG.info(
                "Bundle {} verified at s3://{}/{}: {} run(s) archived",
                bundle.id(),
                settings.bucket(),
                bundle.key(),
                archived.size());
        cleanUp(bundle);
        if (settings.removeScratch()) {
            archived.forEach(this::removeScratch);
        }
    }

    /** The upload failed: the bundle fails, its runs go into the next one. */
    public void uploadFailed(Bundle bundle, Exception cause) {
        LOG.warn("Upload of bundle {} failed; its runs go into the next bundle: {}", bundle.id(), cause.getMessage());
        store.failed(bundle.id(), "upload: " + cause.getMessage());
        cleanUp(bundle);
    }

    private void cleanUp(Bundle bundle) {
        try {
            Files.deleteIfExists(bundle.file().toPath());
            Files.deleteIfExists(bundle.manifestFile().toPath());
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", bundle.file(), e.getMessage());
        }
    }

    private void removeScratch(String[] run) {
        Cluster cluster = cluster(run[1]);
        try {
            clusters.shell(cluster)
                    .run(List.of("rm", "-rf", "--", cluster.runDirectory(run[0]), run[2]), settings.timeout());
        } catch (IOException e) {
            LOG.warn("Could not remove the scratch copy of {}: {}", run[0], e.getMessage());
        }
    }

    // --- restore ---------------------------------------------------------------------------------

    private Path restoreTarget(Path target) {
        try {
            return restoreRoots.resolveLocal("directory", target.toString(), false);
        } catch (Roots.Refused e) {
            throw new InvalidInputException("directory", e.getMessage());
        }
    }

    /** Where a restore goes when the request names no directory: the first restore root. */
    public Path defaultRestoreDirectory() {
        return restoreRoots.paths().get(0);
    }

    /**
     * Brings an archived run back into {@code target/<run>}: fetches its bundle, checks the run's
     * archive against the manifest, extracts it and checks every file's size.
     *
     * @param target a directory under one of the restore roots ({@code automatix.archive.restore-roots}),
     *               as resolved too: the files go to its real path, never through a link out
     * @return the number of files restored
     * @throws InvalidInputException when the target is outside the restore roots (nothing is fetched)
     */
    public int restore(String run, Path target) throws IOException {
        target = restoreTarget(target);
        ArchiveStore.Archived a = store.archived(run);
        if (a == null) {
            throw new IllegalArgumentException("run " + run + " is not in any verified bundle");
        }
        Path work = Files.createTempDirectory(Files.createDirectories(staging), "restore-" + run + "-");
        try {
            Path bundle = work.resolve("bundle.tar");
            try (ResponseInputStream<GetObjectResponse> in =
                    s3.getObject(b -> b.bucket(a.bucket()).key(a.key()))) {
                Files.copy(in, bundle);
            }
            String archive = run + (a.file().endsWith(".tar.gz") ? ".tar.gz" : ".tar.zst");
            check(
                    local.run(
                            List.of(
                                    "tar",
                                    "-xf",
                                    bundle.toString(),
                                    "-C",
                                    work.toString(),
                                    "--",
                                    "manifest.json",
                                    archive),
                            settings.timeout()),
                    "tar");
            JsonNode entry = null;
            for (JsonNode r :
                    JSON.readTree(work.resolve("manifest.json").toFile()).get("runs")) {
                if (r.get("run").asText().equals(run)) {
                    entry = r;
                }
            }
            if (entry == null) {
                throw new IllegalStateException("the manifest of " + a.key() + " does not list " + run);
            }
            String sha256 = sha256(Files.newInputStream(work.resolve(archive)));
            if (!sha256.equals(entry.get("sha256").asText())) {
                throw new IllegalStateException("archive of " + run + " has sha256 " + sha256 + ", the manifest says "
                        + entry.get("sha256").asText());
            }
            target = restoreTarget(target); // again: the download took a while, a link may have been swapped in
            Files.createDirectories(target);
            String decompress = archive.endsWith(".gz") ? "gzip -dc" : "zstd -dcq";
            check(
                    local.run(
                            List.of(
                                    "sh",
                                    "-c",
                                    decompress + " -- \"$1\" | tar -xf - -C \"$2\"",
                                    "sh",
                                    work.resolve(archive).toString(),
                                    target.toString()),
                            settings.timeout()),
                    "extracting " + archive);
            int files = 0;
            for (JsonNode f : entry.get("files")) {
                Path p = target.resolve(run).resolve(f.get("path").asText());
                if (!Files.isRegularFile(p) || Files.size(p) != f.get("bytes").asLong()) {
                    throw new IllegalStateException("restored " + p + " does not match the manifest");
                }
                files++;
            }
            LOG.info(
                    "Run {} restored from s3://{}/{} into {}: {} file(s) verified",
                    run,
                    a.bucket(),
                    a.key(),
                    target,
                    files);
            return files;
        } finally {
            deleteTree(work);
        }
    }

    // ---------------------------------------------------------------------------------------------

    private Cluster cluster(String name) {
        return clusters.get(name)
                .orElseThrow(() -> new IllegalStateException("cluster '" + name + "' is not configured"));
    }

    private static void check(CommandResult r, String what) {
        if (!r.succeeded()) {
            throw new IllegalStateException(what + ": " + r.summary());
        }
    }

    static String sha256(InputStream in) throws IOException {
        try (DigestInputStream digest = new DigestInputStream(in, MessageDigest.getInstance("SHA-256"))) {
            digest.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(digest.getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
