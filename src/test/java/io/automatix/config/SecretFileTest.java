package io.automatix.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretFileTest {

    @TempDir
    Path dir;

    @Test
    void aFileValueIsReplacedByTheFilesContent() throws Exception {
        Path file = secret("s3cr3t\n", "rw-------");
        assertThat(SecretFile.resolve("automatix.db.password", "file:" + file)).isEqualTo("s3cr3t");
        assertThat(SecretFile.resolve("automatix.db.password", "plain")).isEqualTo("plain");
        assertThat(SecretFile.resolve("automatix.db.password", "file:" + secret("g", "rw-r-----")))
                .as("group-readable is accepted")
                .isEqualTo("g");
    }

    @Test
    void theVariableOfAKeyEndsInFile() {
        assertThat(SecretFile.variable("automatix.db.password")).isEqualTo("AUTOMATIX_DB_PASSWORD_FILE");
        assertThat(SecretFile.variable("automatix.s3.secret-key")).isEqualTo("AUTOMATIX_S3_SECRET_KEY_FILE");
    }

    @Test
    void aMissingFileIsAnErrorNamingTheKeyAndTheFile() {
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> SecretFile.resolve("automatix.amqp.password", "file:" + missing))
                .hasMessageContaining("automatix.amqp.password")
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void aWorldReadableFileIsRefusedWithoutShowingItsContent() throws Exception {
        Path file = secret("very-secret-value", "rw-r--r--");
        assertThatThrownBy(() -> SecretFile.resolve("automatix.s3.secret-key", "file:" + file))
                .hasMessageContaining("automatix.s3.secret-key")
                .hasMessageContaining(file.toString())
                .hasMessageContaining("readable by every user")
                .hasMessageContaining("chmod o-rwx")
                .hasMessageNotContaining("very-secret-value");
    }

    private Path secret(String content, String mode) throws Exception {
        Path file = Files.createTempFile(dir, "secret", "");
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }
}
