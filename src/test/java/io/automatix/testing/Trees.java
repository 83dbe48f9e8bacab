package io.automatix.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Directory trees for transfer tests: made from seeded random bytes, compared by SHA-256. */
public final class Trees {

    private Trees() {}

    /** Files of the given sizes (bytes) under dir, including nested ones and awkward names. */
    public static void write(Path dir, long seed, long... sizes) throws IOException {
        Random random = new Random(seed);
        for (int i = 0; i < sizes.length; i++) {
            Path file = dir.resolve(i % 3 == 2 ? "nested/deeper/file " + i + " $(x);.dat" : "file-" + i + ".bin");
            Files.createDirectories(file.getParent());
            byte[] buffer = new byte[64 * 1024];
            try (var out = Files.newOutputStream(file)) {
                for (long left = sizes[i]; left > 0; left -= buffer.length) {
                    random.nextBytes(buffer);
                    out.write(buffer, 0, (int) Math.min(buffer.length, left));
                }
            }
        }
    }

    /** Relative path -> SHA-256 of every regular file. */
    public static Map<String, String> digest(Path dir) throws IOException {
        Map<String, String> digests = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                digests.put(dir.relativize(f).toString(), sha256(f));
            }
        }
        return digests;
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                md.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
