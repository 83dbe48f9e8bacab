package io.automatix.workflow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import io.automatix.cluster.Cluster;
import io.automatix.cluster.Clusters;
import io.automatix.ssh.CommandResult;
import io.automatix.ssh.Shell;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Runs a data mover: the files of a service directory matching its element globs are copied (or
 * moved) to a storage tier, keeping their relative paths under {@code <tier>/<owner>/<session>/}.
 * A directory tier is written by rsync on the cluster itself; an S3 tier gets each file streamed
 * from the cluster and checked by size before a move removes it. The globs are expanded by the
 * cluster's shell from arguments, never from a command line built of text.
 */
final class DataMovers {

    /** Progress as the movement goes: totals once known, then done counts. */
    interface Progress {
        void update(Integer filesTotal, Long bytesTotal, int filesDone, long bytesDone, String location);
    }

    /** Lists the matching files as "file <bytes> <path>" lines, with the totals first. */
    private static final String LIST = """
            src=$1; shift
            cd -- "$src" || exit 3
            for p in "$@"; do for f in $p; do [ -e "$f" ] && find "./$f" -type f -printf 'file %s %p\\n'; done; done
            """;

    /** rsync on the cluster from the service directory to the tier's directory; one "done <bytes> <path>" per file. */
    private static final String RSYNC = """
            src=$1 dst=$2 remove=$3; shift 3
            cd -- "$src" || { echo "error no directory $src"; exit 3; }
            list=$(mktemp) || exit 3
            for p in "$@"; do for f in $p; do [ -e "$f" ] && printf './%s\\n' "$f"; done; done | sort -u > "$list"
            files=0
            while IFS= read -r f; do files=$((files + $(find "$f" -type f | wc -l))); done < "$list"
            bytes=$(tr '\\n' '\\0' < "$list" | xargs -0r du -cb -- 2>/dev/null | tail -n 1 | cut -f1)
            echo "total $files ${bytes:-0}"
            mkdir -p -- "$dst" || { rm -f "$list"; echo "error cannot create $dst"; exit 3; }
            if [ "$remove" = 1 ]; then remove=--remove-source-files; else remove=; fi
            rsync -a -r -R $remove --files-from="$list" --out-format='done %l %n' ./ "$dst/"
            rc=$?; rm -f "$list"; exit $rc
            """;

    private final Clusters clusters;
    private final S3Client s3;
    private final Path staging;
    private final Duration timeout;

    DataMovers(Clusters clusters, S3Client s3, Path staging, Duration timeout) {
        this.clusters = clusters;
        this.s3 = s3;
        this.staging = staging;
        this.timeout = timeout;
    }

    /** @return where the files went */
    String move(
            Shell shell,
            Cluster cluster,
            String source,
            DataMover mover,
            Tier tier,
            String subpath,
            Progress progress,
            BooleanSupplier cancelled)
            throws IOException {
        boolean remove = mover.operation() == DataMover.Operation.MOVE;
        if (tier.objectStore()) {
            return upload(shell, cluster, source, mover, tier, subpath, remove, progress, cancelled);
        }
        String target = tier.directory() + "/" + subpath;
        List<String> argv = new ArrayList<>(List.of("sh", "-c", RSYNC, "sh", source, target, remove ? "1" : "0"));
        argv.addAll(mover.elements());
        int[] files = {0};
        long[] bytes = {0};
        CommandResult r = shell.run(argv, timeout, line -> {
            String[] f = line.split(" ", 3);
            if (f[0].equals("total") && f.length == 3) {
                progress.update(Integer.parseInt(f[1]), Long.parseLong(f[2]), 0, 0, target);
            } else if (f[0].equals("done") && f.length == 3 && !f[2].endsWith("/")) {
                files[0]++;
                bytes[0] += Long.parseLong(f[1]);
                progress.update(null, null, files[0], bytes[0], target);
            }
        });
        if (!r.succeeded()) {
            throw new IOException("rsync to " + target + " on " + cluster.name() + " failed: " + r.summary());
        }
        return target;
    }

    private String upload(
            Shell shell,
            Cluster cluster,
            String source,
            DataMover mover,
            Tier tier,
            String subpath,
            boolean remove,
            Progress progress,
            BooleanSupplier cancelled)
            throws IOException {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", LIST, "sh", source));
        argv.addAll(mover.elements());
        CommandResult listed = shell.run(argv, timeout);
        if (listed.exitCode() == 3) {
            throw new IOException("no directory " + source + " on " + cluster.name());
        }
        List<String[]> files = new ArrayList<>(); // {bytes, path}
        long total = 0;
        for (String line : listed.stdout().split("\n")) {
            String[] f = line.split(" ", 3);
            String path = f.length == 3 ? f[2].replaceFirst("^\\./", "") : null;
            if (path != null && f[0].equals("file") && files.stream().noneMatch(x -> x[1].equals(path))) {
                files.add(new String[] {f[1], path});
                total += Long.parseLong(f[1]);
            }
        }
        String location = "s3://" + tier.bucket() + "/" + tier.prefix() + subpath + "/";
        progress.update(files.size(), total, 0, 0, location);
        Files.createDirectories(staging);
        int done = 0;
        long bytes = 0;
        List<String> uploaded = new ArrayList<>();
        for (String[] file : files) {
            if (cancelled.getAsBoolean()) {
                throw new IOException("cancelled after " + done + " of " + files.size() + " file(s)");
            }
            String key = tier.prefix() + subpath + "/" + file[1];
            Path tmp = Files.createTempFile(staging, "mover-", ".part");
            try {
                clusters.fetch(cluster, source + "/" + file[1], tmp, timeout);
                s3.putObject(b -> b.bucket(tier.bucket()).key(key), RequestBody.fromFile(tmp));
            } finally {
                Files.deleteIfExists(tmp);
            }
            long stored = s3.headObject(b -> b.bucket(tier.bucket()).key(key)).contentLength();
            if (stored != Long.parseLong(file[0])) {
                throw new IOException(
                        "s3://" + tier.bucket() + "/" + key + " holds " + stored + " bytes, not " + file[0]);
            }
            uploaded.add(file[1]);
            done++;
            bytes += stored;
            progress.update(null, null, done, bytes, location);
        }
        if (remove && !uploaded.isEmpty()) {
            // only what was uploaded and checked is removed; names come on stdin, one per line
            CommandResult r = shell.run(
                    List.of(
                            "sh",
                            "-c",
                            "cd -- \"$1\" && while IFS= read -r f; do rm -f -- \"./$f\"; done",
                            "sh",
                            source),
                    (String.join("\n", uploaded) + "\n").getBytes(StandardCharsets.UTF_8),
                    timeout,
                    null);
            if (!r.succeeded()) {
                throw new IOException("removing moved files from " + source + " failed: " + r.summary());
            }
        }
        return location;
    }
}
