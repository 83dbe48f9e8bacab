package io.automatix.user;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** When a token expires, as an admin writes it: {@code 30d}, {@code 12h}, {@code 90m}, or an ISO date or time. */
public final class Expiry {

    private static final Pattern RELATIVE = Pattern.compile("([1-9][0-9]{0,5})([dhm])");

    private Expiry() {}

    /** @throws IllegalArgumentException with the forms accepted */
    public static Instant parse(String text, Instant now) {
        String t = text == null ? "" : text.strip();
        Matcher m = RELATIVE.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "d" -> Duration.ofDays(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofMinutes(n);
            };
            return now.plus(d);
        }
        Instant at;
        try {
            at = t.length() == 10
                    ? LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("expires: '" + t
                    + "' is not 30d, 12h, 90m, an ISO date (2027-01-31) or time (2027-01-31T12:00:00Z)");
        }
        if (!at.isAfter(now)) {
            throw new IllegalArgumentException("expires: " + t + " is already past");
        }
        return at;
    }
}
