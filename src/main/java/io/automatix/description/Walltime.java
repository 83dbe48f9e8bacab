package io.automatix.description;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Walltimes as people and SLURM write them: {@code 90m}, {@code 4h}, {@code 1d}, {@code 01:30:00}, {@code 2-00:00:00}. */
public final class Walltime {

    private static final Pattern UNIT = Pattern.compile("(\\d+)\\s*([smhd])");
    private static final Pattern CLOCK = Pattern.compile("(?:(\\d+)-)?(\\d+):(\\d{2}):(\\d{2})");

    private Walltime() {}

    /**
     * @throws IllegalArgumentException with the accepted forms, or saying it is too long (more than
     *     a {@code long} or a {@link Duration} holds), never a bare NumberFormatException or
     *     ArithmeticException
     */
    public static Duration parse(String text) {
        try {
            return read(text);
        } catch (ArithmeticException | NumberFormatException e) { // the digits match, the number does not fit
            throw new IllegalArgumentException("'" + text + "' is too long a walltime");
        }
    }

    private static Duration read(String text) {
        String t = text.strip();
        Matcher m = UNIT.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        m = CLOCK.matcher(t);
        if (m.matches()) {
            long days = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
            return Duration.ofDays(days)
                    .plusHours(Long.parseLong(m.group(2)))
                    .plusMinutes(Long.parseLong(m.group(3)))
                    .plusSeconds(Long.parseLong(m.group(4)));
        }
        throw new IllegalArgumentException("'" + text + "' is not a walltime (e.g. 90m, 4h, 1d, 01:30:00, 2-00:00:00)");
    }
}
