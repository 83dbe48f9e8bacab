package io.automatix.archive;

import java.time.Duration;

/**
 * The archive flow's settings ({@code automatix.archive.*}).
 *
 * @param codec        zstd or gzip
 * @param bundleRuns   a bundle is made once this many compressed runs wait...
 * @param bundleBytes  ...or this many bytes...
 * @param bundleAge    ...or the oldest has waited this long
 * @param partSize     multipart upload part size in bytes
 * @param keyPrefix    object keys are {@code <prefix>bundle-<id>.tar} and {@code .manifest.json}
 * @param removeScratch delete the run's scratch copy and archive file after verified archiving
 * @param verify       read-back (the stored object read again, SHA-256) or etag (the store's ETag, a HEAD)
 * @param corruptUploads fault injection for tests: this many bundles get a byte flipped after their
 *                       checksum is taken, as storage or transit might
 */
public record ArchiveSettings(
        boolean enabled,
        String codec,
        int level,
        int bundleRuns,
        long bundleBytes,
        Duration bundleAge,
        long partSize,
        String verify,
        String bucket,
        String keyPrefix,
        boolean removeScratch,
        Duration lease,
        Duration timeout,
        int corruptUploads) {

    String extension() {
        return codec.equals("gzip") ? ".tar.gz" : ".tar.zst";
    }
}
