package io.automatix.archive;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The ETags a store gives a bundle, computed as S3 does: MD5 of the part MD5s, then the part count. */
class BundleDigestTest {

    @Test
    void partsAreCutWhereTheUploadCutsThem() throws Exception {
        byte[] data = new byte[250_000];
        new Random(7).nextBytes(data);
        Path file = Files.createTempFile("bundle", ".tar");
        Files.write(file, data);

        BundleDigest digest = BundleDigest.of(file, 100_000);
        MessageDigest parts = MessageDigest.getInstance("MD5");
        for (int off = 0; off < data.length; off += 100_000) {
            parts.update(MessageDigest.getInstance("MD5")
                    .digest(java.util.Arrays.copyOfRange(data, off, Math.min(data.length, off + 100_000))));
        }
        HexFormat hex = HexFormat.of();
        assertThat(digest.etags())
                .containsExactlyInAnyOrder(
                        hex.formatHex(parts.digest()) + "-3",
                        hex.formatHex(MessageDigest.getInstance("MD5").digest(data)));
        assertThat(digest.sha256())
                .isEqualTo(hex.formatHex(MessageDigest.getInstance("SHA-256").digest(data)));
        // exactly two parts: no empty third
        assertThat(BundleDigest.of(file, 125_000).etags()).anyMatch(e -> e.endsWith("-2"));
    }
}
