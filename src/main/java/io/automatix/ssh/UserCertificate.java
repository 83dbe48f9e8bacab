package io.automatix.ssh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/**
 * An OpenSSH user certificate ({@code <key>-cert.pub}, or a configuration's CertificateFile), for
 * logging in with it and for showing when it expires.
 *
 * @param validAfter  null: valid since forever
 * @param validBefore null: valid forever
 */
public record UserCertificate(
        Path file,
        String id,
        List<String> principals,
        Instant validAfter,
        Instant validBefore,
        OpenSshCertificate key) {

    /** The certificate beside a private key ({@code <key>-cert.pub}), if there is one. */
    public static Optional<UserCertificate> beside(Path privateKey) throws IOException {
        Path file = privateKey.resolveSibling(privateKey.getFileName() + "-cert.pub");
        return Files.isRegularFile(file) ? Optional.of(read(file)) : Optional.empty();
    }

    /**
     * The certificates a connection to the target logs in with, on every hop of its route (beside
     * each key, and the SSH configuration's CertificateFiles): for health and doctor to show when
     * they expire.
     */
    public static List<UserCertificate> of(SshTarget target) throws IOException {
        SshConfig config = target.sshConfig() == null ? SshConfig.none() : SshConfig.read(target.sshConfig());
        List<UserCertificate> certs = new ArrayList<>();
        for (SshRoute.Hop hop : SshRoute.resolve(target, config).hops()) {
            for (UserCertificate cert : LoginKeys.certificates(target, hop)) {
                if (certs.stream().noneMatch(c -> c.file().equals(cert.file()))) {
                    certs.add(cert);
                }
            }
        }
        return certs;
    }

    public static UserCertificate read(Path file) throws IOException {
        String line = Files.readString(file).strip();
        PublicKey key;
        try {
            key = PublicKeyEntry.parsePublicKeyEntry(line).resolvePublicKey(null, null, PublicKeyEntryResolver.FAILING);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IOException(file + " is not an OpenSSH certificate: " + e.getMessage(), e);
        }
        if (!(key instanceof OpenSshCertificate cert)) {
            throw new IOException(file + " holds a plain public key, not an OpenSSH certificate");
        }
        if (cert.getType() != OpenSshCertificate.Type.USER) {
            throw new IOException(file + " is a host certificate, not a user certificate");
        }
        return new UserCertificate(
                file,
                cert.getId(),
                List.copyOf(cert.getPrincipals()),
                instant(cert.getValidAfter(), true),
                instant(cert.getValidBefore(), false),
                cert);
    }

    /** Whether the certificate is valid at the time. */
    public boolean validAt(Instant time) {
        return (validAfter == null || !time.isBefore(validAfter))
                && (validBefore == null || time.isBefore(validBefore));
    }

    public boolean expiredAt(Instant time) {
        return validBefore != null && !time.isBefore(validBefore);
    }

    /** When it expires, or empty when it never does. */
    public Optional<Instant> expires() {
        return Optional.ofNullable(validBefore);
    }

    /** Certificate times are unsigned seconds; 0 and 2^64-1 mean "always" and "forever". */
    private static Instant instant(long seconds, boolean after) {
        if (after ? seconds == 0 : seconds == -1L) {
            return null;
        }
        return seconds < 0 ? Instant.MAX : Instant.ofEpochSecond(seconds);
    }
}
