package io.automatix.transfer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.automatix.ssh.LocalShell;
import io.automatix.testing.Trees;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Copy verification with the real find, sort and sha256sum of this host. */
class CopyVerifierTest {

    private final LocalShell shell = new LocalShell();

    @Test
    void anIdenticalCopyPassesBothModes() throws Exception {
        Path source = Files.createTempDirectory("source");
        Path copy = Files.createTempDirectory("copy");
        Trees.write(source, 3, 10_000, 0, 777);
        Trees.write(copy, 3, 10_000, 0, 777);
        for (String mode : new String[] {"size", "checksum"}) {
            assertThatCode(() -> new CopyVerifier(mode, Duration.ofMinutes(1))
                            .verify(shell, source.toString(), shell, copy.toString()))
                    .as(mode)
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void aChangedByteFailsChecksumVerificationPermanently() throws Exception {
        Path source = Files.createTempDirectory("source");
        Path copy = Files.createTempDirectory("copy");
        Trees.write(source, 3, 10_000, 500);
        Trees.write(copy, 3, 10_000, 500);
        byte[] bytes = Files.readAllBytes(copy.resolve("file-0.bin"));
        bytes[1234] ^= 1;
        Files.write(copy.resolve("file-0.bin"), bytes);

        assertThatCode(() -> new CopyVerifier("size", Duration.ofMinutes(1))
                        .verify(shell, source.toString(), shell, copy.toString()))
                .as("sizes alone cannot see it")
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> new CopyVerifier("checksum", Duration.ofMinutes(1))
                        .verify(shell, source.toString(), shell, copy.toString()))
                .isInstanceOf(TransferFailure.class)
                .hasMessageContaining("verification failed (checksum)")
                .hasMessageContaining("file-0.bin")
                .satisfies(e -> assertThat(((TransferFailure) e).permanent()).isTrue());
    }

    @Test
    void aMissingFileFailsSizeVerification() throws Exception {
        Path source = Files.createTempDirectory("source");
        Path copy = Files.createTempDirectory("copy");
        Trees.write(source, 4, 100, 200);
        Trees.write(copy, 4, 100);
        assertThatThrownBy(() -> new CopyVerifier("size", Duration.ofMinutes(1))
                        .verify(shell, source.toString(), shell, copy.toString()))
                .hasMessageContaining("source has 2 files, copy has 1");
    }
}
