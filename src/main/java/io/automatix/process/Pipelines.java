package io.automatix.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipelines of {@code pipelines/*.yaml}, read at startup and again whenever a file changes. A
 * file that does not parse is rejected with its file, line and reason (logged, and kept for the
 * API); the version read before stays in use, and a pipeline never read correctly does not exist.
 */
public final class Pipelines {

    private static final Logger LOG = LoggerFactory.getLogger(Pipelines.class);
    private static final long RESCAN_MS = 1000;

    private final Path directory;
    private final PipelineParser parser;
    private final Map<Path, Loaded> files = new ConcurrentHashMap<>();
    private volatile long scannedAt;

    private record Loaded(FileTime modified, Pipeline pipeline, String error) {}

    public Pipelines(Path directory, PipelineParser parser) {
        this.directory = directory;
        this.parser = parser;
        rescan();
    }

    public Optional<Pipeline> get(String name) {
        refresh();
        return files.values().stream()
                .map(Loaded::pipeline)
                .filter(p -> p != null && p.name().equals(name))
                .findFirst();
    }

    /** Rejected files and why, by file. */
    public Map<String, String> errors() {
        refresh();
        Map<String, String> errors = new TreeMap<>();
        files.forEach((path, loaded) -> {
            if (loaded.error() != null) {
                errors.put(directory.getFileName().resolve(path.getFileName()).toString(), loaded.error());
            }
        });
        return errors;
    }

    private void refresh() {
        if (System.currentTimeMillis() - scannedAt > RESCAN_MS) {
            rescan();
        }
    }

    private synchronized void rescan() {
        scannedAt = System.currentTimeMillis();
        if (!Files.isDirectory(directory)) {
            files.clear();
            return;
        }
        List<Path> present;
        try (Stream<Path> list = Files.list(directory)) {
            present = list.filter(p -> p.getFileName().toString().endsWith(".yaml"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        files.keySet().retainAll(present);
        for (Path path : present) {
            try {
                FileTime modified = Files.getLastModifiedTime(path);
                Loaded before = files.get(path);
                if (before == null || !before.modified().equals(modified)) {
                    files.put(path, load(path, modified, before));
                }
            } catch (IOException e) {
                LOG.warn("Cannot read {}: {}", path, e.getMessage());
            }
        }
    }

    private Loaded load(Path path, FileTime modified, Loaded before) throws IOException {
        String file = directory.getFileName() + "/" + path.getFileName();
        String base = path.getFileName().toString().replaceFirst("\\.yaml$", "");
        try {
            Pipeline pipeline = parser.parse(file, base, utf8(file, Files.readAllBytes(path)));
            LOG.info(
                    "Pipeline {} from {}: steps {}",
                    pipeline.name(),
                    file,
                    pipeline.steps().stream().map(Step::name).toList());
            return new Loaded(modified, pipeline, null);
        } catch (PipelineError e) {
            Pipeline kept = before == null ? null : before.pipeline();
            String error = e.getMessage();
            LOG.error("Rejected pipeline {}{}", error, kept == null ? "" : " (the version read before stays in use)");
            return new Loaded(modified, kept, error);
        }
    }

    /** The file's text, or where it stops being UTF-8: the line and the byte's offset in the file. */
    static String utf8(String file, byte[] bytes) {
        return PipelineParser.utf8(file, bytes);
    }
}
