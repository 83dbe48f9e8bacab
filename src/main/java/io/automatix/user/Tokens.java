package io.automatix.user;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import io.automatix.db.Rows;
import io.automatix.db.SqlFile;
import io.automatix.db.Transactions;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;

/**
 * API tokens issued by an admin and kept in the runs database as SHA-256 hashes: a token is 32
 * random bytes, so a plain hash is as hard to reverse as the token is to guess. The token itself is
 * returned once, by {@link #issue}, and never stored or listed.
 */
public final class Tokens {

    /** A user name, as the users table checks it. */
    public static final Pattern USER = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._@-]{0,63}");
    /** A group name: no commas (groups travel as a comma-separated list) and nothing a shell reads. */
    public static final Pattern GROUP = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,63}");

    private static final String UPSERT_USER = SqlFile.load(Tokens.class, "upsert-user.sql");
    private static final String INSERT = SqlFile.load(Tokens.class, "insert-token.sql");
    private static final String FIND = SqlFile.load(Tokens.class, "find-token.sql");
    private static final String USED = SqlFile.load(Tokens.class, "token-used.sql");
    private static final String LIST = SqlFile.load(Tokens.class, "list-tokens.sql");
    private static final String REVOKE = SqlFile.load(Tokens.class, "revoke-token.sql");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Transactions transactions;

    public Tokens(Transactions transactions) {
        this.transactions = transactions;
    }

    /** What {@link #authenticate} found for a hash. */
    public sealed interface Found {}

    public record Valid(Principal principal) implements Found {}

    /** Revoked or expired: refused, with no word on whose it was. */
    public record Refused() implements Found {}

    /**
     * Makes a token for the user (recorded with this role and groups, which every token of theirs
     * then carries) and returns it with its row: the only time the token is seen.
     */
    public Map<String, Object> issue(
            String admin, String user, Role role, Set<String> groups, Instant expires, String description) {
        if (user == null || !USER.matcher(user).matches()) {
            throw new IllegalArgumentException("user: a user name (letters, digits, . _ @ -; at most 64) is required");
        }
        for (String g : groups) {
            if (!GROUP.matcher(g).matches()) {
                throw new IllegalArgumentException("groups: '" + g + "' is not a group name (letters, digits, . _ -)");
            }
        }
        if (description != null && description.length() > 200) {
            throw new IllegalArgumentException("description: at most 200 characters");
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = "atx_" + HexFormat.of().formatHex(secret);
        Arrays.fill(secret, (byte) 0);
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("name", user)
                .addValue("user", user)
                .addValue("role", role.stored())
                .addValue("groups", String.join(",", groups))
                .addValue("created_by", admin)
                .addValue("sha256", sha256(token))
                .addValue("description", description)
                .addValue(
                        "expires_at",
                        expires == null ? null : expires.atOffset(ZoneOffset.UTC),
                        Types.TIMESTAMP_WITH_TIMEZONE);
        return transactions.as(admin, jdbc -> {
            jdbc.update(UPSERT_USER, params);
            Map<String, Object> row = jdbc.queryForMap(INSERT, params);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", row.get("id"));
            out.put("user", user);
            out.put("role", role.stored());
            out.put("groups", List.copyOf(groups));
            out.put("expires_at", expires == null ? null : expires.toString());
            out.put("description", description);
            out.put("token", token);
            out.put("note", "shown once: keep it now (the router keeps only its SHA-256)");
            return out;
        });
    }

    /** Every token's row, newest last, without hashes. */
    public List<Map<String, Object>> list() {
        return Rows.readable(transactions.jdbc().queryForList(LIST, Map.of()));
    }

    /** @return whether the token was active (false: unknown or revoked already) */
    public boolean revoke(String admin, long id) {
        return transactions.as(
                admin,
                jdbc -> !jdbc.queryForList(REVOKE, Map.of("id", id, "actor", admin), String.class)
                        .isEmpty());
    }

    /** The principal of a token's SHA-256, if the database has it. */
    public Optional<Found> authenticate(String sha256) {
        List<Map<String, Object>> rows = transactions.jdbc().queryForList(FIND, Map.of("sha256", sha256));
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> row = rows.get(0);
        if (Boolean.TRUE.equals(row.get("revoked")) || Boolean.TRUE.equals(row.get("expired"))) {
            return Optional.of(new Refused());
        }
        transactions.jdbc().update(USED, Map.of("id", row.get("id")));
        return Optional.of(new Valid(new Principal(
                (String) row.get("name"), Role.named((String) row.get("role")), groups((String) row.get("groups")))));
    }

    /** A comma-separated list of groups (a plus sign separates them too, as in automatix.api.users). */
    public static Set<String> groups(String text) {
        Set<String> groups = new LinkedHashSet<>();
        if (text != null) {
            for (String g : text.split("[,+]")) {
                if (!g.isBlank()) {
                    groups.add(g.strip());
                }
            }
        }
        return groups;
    }

    public static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
