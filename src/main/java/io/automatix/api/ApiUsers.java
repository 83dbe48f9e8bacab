package io.automatix.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.automatix.user.Principal;
import io.automatix.user.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's users and their tokens ({@code Authorization: Bearer <token>}). The configuration
 * holds only SHA-256 hashes ({@code automatix.api.users = alice:<sha256 hex>,bob:...}); with none
 * configured, a token for user {@code operator} is made on first start and kept in
 * {@code <data>/api-token}, readable by its owner only.
 */
public final class ApiUsers {

    private static final Logger LOG = LoggerFactory.getLogger(ApiUsers.class);

    private final Map<String, String> userByHash = new LinkedHashMap<>();

    public ApiUsers(String configured, Path dataDirectory) throws IOException {
        if (configured != null && !configured.isBlank()) {
            for (String entry : configured.split(",")) {
                String[] f = entry.strip().split(":", 2);
                if (f.length != 2
                        || !f[0].matches("[A-Za-z0-9_][A-Za-z0-9._@-]{0,63}")
                        || !f[1].matches("[0-9a-f]{64}")) {
                    throw new IllegalArgumentException("bad setting 'automatix.api.users': '" + f[0]
                            + ":...' is not user:<sha256 hex of the token>");
                }
                userByHash.put(f[1], f[0]);
            }
            return;
        }
        Path file = dataDirectory.resolve("api-token");
        if (!Files.exists(file)) {
            Files.createDirectories(dataDirectory);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, HexFormat.of().formatHex(new SecureRandom().generateSeed(24)) + "\n");
        }
        userByHash.put(sha256(Files.readString(file).strip()), "operator");
        LOG.info("API: no users configured; user 'operator' has the token in {}", file.toAbsolutePath());
    }

    /** The user a request's Authorization header authenticates, if any. */
    public Optional<Principal> authenticate(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return Optional.empty();
        }
        return Optional.ofNullable(
                        userByHash.get(sha256(authorization.substring(7).strip())))
                .map(name -> new Principal(name, Role.ADMIN, Set.of()));
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
