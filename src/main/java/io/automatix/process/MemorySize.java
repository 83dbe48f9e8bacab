package io.automatix.process;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A memory size as sbatch's {@code --mem} takes it: a whole number with K, M (the default), G or T. */
final class MemorySize {

    static final Pattern PATTERN = Pattern.compile("(\\d{1,9})([KMGTkmgt]?)");

    private MemorySize() {}

    /** @throws IllegalArgumentException saying what is expected */
    static long megabytes(String value) {
        Matcher m = value == null ? null : PATTERN.matcher(value);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException(
                    "'" + value + "' is not a memory size (a whole number with K, M, G or T, e.g. 4G)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "K" -> Math.max(1, (n + 1023) / 1024);
            case "G" -> n * 1024;
            case "T" -> n * 1024 * 1024;
            default -> n;
        };
    }

    /** In G when whole gigabytes, else in M. */
    static String format(long megabytes) {
        return megabytes % 1024 == 0 ? megabytes / 1024 + "G" : megabytes + "M";
    }
}
