package io.automatix.ssh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An askpass program for ssh(1) runs (rsync, file streams, an openssh master) with an encrypted key: ssh reads a
 * passphrase only from a prompt, so this answers it from the file or environment variable the
 * settings name ({@code AUTOMATIX_PASSPHRASE_FILE} / {@code AUTOMATIX_PASSPHRASE_ENV} in its
 * environment). The script holds no secret; it is written once per router process.
 */
final class AskpassScript {

    private static final String TEXT = """
            #!/bin/sh
            # written by the Automatix router: answers ssh's passphrase prompt from the configured file or variable
            if [ -n "$AUTOMATIX_PASSPHRASE_FILE" ]; then exec cat "$AUTOMATIX_PASSPHRASE_FILE"; fi
            exec printenv "$AUTOMATIX_PASSPHRASE_ENV"
            """;

    private static Path script;

    private AskpassScript() {}

    static synchronized Path path() {
        if (script == null) {
            try {
                Path file = Files.createTempFile(
                        "automatix-askpass",
                        ".sh",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                Files.writeString(file, TEXT);
                file.toFile().deleteOnExit();
                script = file;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the askpass program for ssh: " + e.getMessage(), e);
            }
        }
        return script;
    }

    /** Whether the target's key has a passphrase configured: ssh must then be let ask this program. */
    static boolean needed(SshTarget target) {
        return target.passphraseFile() != null || target.passphraseEnv() != null;
    }

    /** The environment that makes ssh(1) ask this program for the target's passphrase. */
    static Map<String, String> environment(SshTarget target) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SSH_ASKPASS", path().toString());
        env.put("SSH_ASKPASS_REQUIRE", "force");
        if (target.passphraseFile() != null) {
            env.put("AUTOMATIX_PASSPHRASE_FILE", target.passphraseFile().toString());
        } else {
            env.put("AUTOMATIX_PASSPHRASE_ENV", target.passphraseEnv());
        }
        return env;
    }
}
