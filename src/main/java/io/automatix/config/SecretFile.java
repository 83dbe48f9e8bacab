package io.automatix.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import java.util.Set;

/**
 * A setting kept in a file rather than in the properties, the command line or the environment, where
 * other users of the host could read it ({@code ps}, {@code /proc/<pid>/environ}, a shared config
 * file): {@code AUTOMATIX_DB_PASSWORD_FILE=/run/secrets/db} or {@code automatix.db.password =
 * file:/run/secrets/db}. The file holds the value alone (a trailing newline is dropped). A file that
 * every user may read is refused: it would defeat the point; a group-readable one is accepted, for a
 * group that only the service account and its administrators are in.
 */
public final class SecretFile {

    public static final String PREFIX = "file:";

    private SecretFile() {}

    /** The environment variable naming the file of a setting: automatix.db.password -> AUTOMATIX_DB_PASSWORD_FILE. */
    public static String variable(String key) {
        return key.toUpperCase().replaceAll("[^A-Z0-9]", "_") + "_FILE";
    }

    /** The setting's value from the file its {@code _FILE} variable names, if that is set. */
    static Optional<String> fromEnvironment(String key) {
        String file = System.getenv(variable(key));
        if (file == null || file.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(read(key, Path.of(file.trim()), "named by " + variable(key)));
    }

    /** The value itself, or the content of the file a {@code file:} value names. */
    static String resolve(String key, String value) {
        if (!value.startsWith(PREFIX)) {
            return value;
        }
        return read(key, Path.of(value.substring(PREFIX.length()).trim()), "named by its file: value");
    }

    /**
     * The file's content, stripped. Errors name the setting and the file, never the content.
     *
     * @param what for errors: whoever needs the secret ("setting 'automatix.db.password'", "the API token")
     */
    public static String read(String what, Path file, String how) {
        String subject = what.contains(" ") ? what : "setting '" + what + "'";
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(subject + ": the file " + file + " (" + how
                    + ") does not exist or is not a file; create it, readable by this user only (chmod 600)");
        }
        try {
            Set<PosixFilePermission> permissions = permissions(file);
            if (permissions.contains(PosixFilePermission.OTHERS_READ)) {
                throw new IllegalStateException(subject + ": the file " + file + " (" + how
                        + ") is readable by every user of this host; run chmod o-rwx " + file
                        + " (or chmod 600) and start again");
            }
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalStateException(
                    subject + ": cannot read the file " + file + " (" + how + "): " + e.getMessage(), e);
        }
    }

    private static Set<PosixFilePermission> permissions(Path file) throws IOException {
        try {
            return Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return Set.of(); // not a POSIX file system: its own access rules apply
        }
    }
}
