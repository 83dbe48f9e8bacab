package io.automatix.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * A bundle's checksums, from one read of the file: its SHA-256 (what the manifest and the database
 * keep) and the ETags an S3 store gives it: the MD5 for a single upload, the MD5 of the parts' MD5s
 * with the part count for a multipart upload of parts of {@code partSize} bytes.
 */
record BundleDigest(String sha256, Set<String> etags) {

    static BundleDigest of(Path file, long partSize) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            MessageDigest whole = MessageDigest.getInstance("MD5");
            MessageDigest parts = MessageDigest.getInstance("MD5");
            MessageDigest part = MessageDigest.getInstance("MD5");
            byte[] buffer = new byte[1 << 16];
            long inPart = 0;
            int count = 0;
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha256.update(buffer, 0, n);
                whole.update(buffer, 0, n);
                for (int off = 0; off < n; ) {
                    int take = (int) Math.min(n - off, partSize - inPart);
                    part.update(buffer, off, take);
                    off += take;
                    inPart += take;
                    if (inPart == partSize) {
                        parts.update(part.digest());
                        count++;
                        inPart = 0;
                    }
                }
            }
            if (inPart > 0 || count == 0) {
                parts.update(part.digest());
                count++;
            }
            HexFormat hex = HexFormat.of();
            return new BundleDigest(
                    hex.formatHex(sha256.digest()),
                    Set.of(hex.formatHex(whole.digest()), hex.formatHex(parts.digest()) + "-" + count));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
