package io.automatix.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.automatix.user.Principal;
import io.automatix.user.Role;
import io.automatix.user.Tokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's users and their tokens ({@code Authorization: Bearer <token>}): those an admin issued
 * ({@link Tokens}, in the runs database), and those of the configuration, which holds only SHA-256
 * hashes ({@code automatix.api.users = alice:<sha256 hex>[:role[:group+group]],bob:...}, role
 * scientist unless given). With none configured, a token for user {@code operator} (role admin) is
 * made on first start and kept in {@code <data>/api-token}, readable by its owner only: the first
 * admin, who issues the others.
 */
public final class ApiUsers {

    private static final Logger LOG = LoggerFactory.getLogger(ApiUsers.class);

    private final Map<String, Principal> userByHash = new LinkedHashMap<>();
    private final Tokens tokens;

    public ApiUsers(String configured, Path dataDirectory, Tokens tokens) throws IOException {
        this.tokens = tokens;
        if (configured != null && !configured.isBlank()) {
            for (String entry : configured.split(",")) {
                String[] f = entry.strip().split(":", 4);
                if (f.length < 2 || !Tokens.USER.matcher(f[0]).matches() || !f[1].matches("[0-9a-f]{64}")) {
                    throw new IllegalArgumentException("bad setting 'automatix.api.users': '" + f[0]
                            + ":...' is not user:<sha256 hex of the token>[:role[:group+group]]");
                }
                Role role = f.length > 2 ? Role.named(f[2]) : Role.SCIENTIST;
                Set<String> groups = f.length > 3 ? Tokens.groups(f[3]) : Set.of();
                userByHash.put(f[1], new Principal(f[0], role, groups));
            }
            return;
        }
        Path file = dataDirectory.resolve("api-token");
        if (!Files.exists(file)) {
            Files.createDirectories(dataDirectory);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, HexFormat.of().formatHex(new SecureRandom().generateSeed(24)) + "\n");
        }
        userByHash.put(sha256(Files.readString(file).strip()), new Principal("operator", Role.ADMIN, Set.of()));
        LOG.info("API: no users configured; user 'operator' (admin) has the token in {}", file.toAbsolutePath());
    }

    /**
     * The user a request's Authorization header authenticates, if any.
     *
     * @throws Unauthenticated for an issued token that is revoked or expired
     */
    public Optional<Principal> authenticate(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return Optional.empty();
        }
        String hash = sha256(authorization.substring(7).strip());
        Principal configured = userByHash.get(hash);
        if (configured != null) {
            return Optional.of(configured);
        }
        return tokens.authenticate(hash).map(found -> {
            if (found instanceof Tokens.Valid valid) {
                return valid.principal();
            }
            throw Unauthenticated.refused();
        });
    }

    public static String sha256(String text) {
        return Tokens.sha256(text);
    }
}
