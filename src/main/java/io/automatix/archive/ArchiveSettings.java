package io.automatix.archive;

import java.time.Duration;

import io.automatix.config.Settings;

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
 * @param bucket       the object store's bucket ({@code automatix.s3.bucket})
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
        Duration timeout) {

    public static ArchiveSettings from(Settings settings) {
        String codec = settings.get("automatix.archive.codec");
        if (!codec.equals("zstd") && !codec.equals("gzip")) {
            throw new IllegalArgumentException(
                    "bad setting 'automatix.archive.codec': '" + codec + "' is not zstd or gzip");
        }
        String verify = settings.get("automatix.archive.verify");
        if (!verify.equals("read-back") && !verify.equals("etag")) {
            throw new IllegalArgumentException(
                    "bad setting 'automatix.archive.verify': '" + verify + "' is not read-back or etag");
        }
        return new ArchiveSettings(
                settings.getBoolean("automatix.archive.enabled"),
                codec,
                settings.getInt("automatix.archive.level"),
                settings.getInt("automatix.archive.bundle-runs"),
                settings.getLong("automatix.archive.bundle-bytes"),
                settings.seconds("automatix.archive.bundle-age-seconds"),
                settings.getLong("automatix.archive.part-size-bytes"),
                verify,
                settings.get("automatix.s3.bucket"),
                settings.get("automatix.archive.key-prefix"),
                settings.getBoolean("automatix.archive.remove-scratch"),
                settings.seconds("automatix.archive.lease-seconds"),
                settings.seconds("automatix.archive.timeout-seconds"));
    }

    String extension() {
        return codec.equals("gzip") ? ".tar.gz" : ".tar.zst";
    }
}
