package io.automatix.transfer;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of {@code rsync --info=progress2}: {@code 1,234,567  45%  12.34MB/s  0:00:05 (xfr#1, to-chk=0/1)}.
 */
public record RsyncProgress(long bytes, int percent, double bytesPerSecond, String eta) {

    private static final Pattern LINE = Pattern.compile(
            "\\s*(?<bytes>[\\d,]+)\\s+(?<percent>\\d+)%\\s+(?<rate>[\\d.]+)(?<unit>[kMGT]?B)/s\\s+(?<eta>\\d+:\\d{2}:\\d{2}).*");

    public static Optional<RsyncProgress> parse(String line) {
        Matcher m = LINE.matcher(line);
        if (!m.matches()) {
            return Optional.empty();
        }
        double rate = Double.parseDouble(m.group("rate"))
                * switch (m.group("unit")) {
                    case "kB" -> 1e3;
                    case "MB" -> 1e6;
                    case "GB" -> 1e9;
                    case "TB" -> 1e12;
                    default -> 1;
                };
        return Optional.of(new RsyncProgress(
                Long.parseLong(m.group("bytes").replace(",", "")),
                Integer.parseInt(m.group("percent")),
                rate,
                m.group("eta")));
    }
}
