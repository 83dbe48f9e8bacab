package io.automatix.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;

/**
 * The key files a hop offers, loaded before connecting so that a missing file, a passphrase not
 * configured or wrong, or an expired certificate is said as such. A certificate ({@code
 * <key>-cert.pub} or CertificateFile) is offered before its plain key. The passphrase comes from the
 * file or environment variable the settings name; it is never logged.
 */
final class LoginKeys {

    private LoginKeys() {}

    /** The key pairs to offer on the hop (certificates first); may be empty when an agent is to serve. */
    static List<KeyPair> load(SshTarget target, SshRoute.Hop hop, Instant now) throws SshFailure {
        List<KeyPair> plain = new ArrayList<>();
        List<Path> missing = new ArrayList<>();
        for (Path file : hop.identityFiles()) {
            if (!Files.isRegularFile(file)) {
                if (hop.explicitKey() && file.equals(hop.identityFiles().get(0))) {
                    throw new SshFailure(
                            target,
                            "the key file " + file + " (setting 'key') does not exist",
                            "set 'key' to the private key the host accepts, or create one with ssh-keygen -t ed25519 -f "
                                    + ShellQuote.quote(file.toString())
                                    + " and add its .pub to ~/.ssh/authorized_keys on the host");
                }
                missing.add(file); // ssh(1) also passes over IdentityFiles that do not exist
                continue;
            }
            plain.addAll(read(target, file));
        }
        if (plain.isEmpty() && target.agent() == null) {
            throw new SshFailure(
                    target,
                    "no key to log in to " + hop.describe() + " with: "
                            + (missing.isEmpty() ? "no key file is configured" : "none of " + missing + " exists"),
                    "set 'key' to a private key the host accepts, or an IdentityFile for " + hop.name()
                            + " in the SSH configuration, or 'agent' to an ssh-agent holding one");
        }
        List<KeyPair> keys = new ArrayList<>();
        for (UserCertificate cert : certificates(target, hop)) {
            if (cert.expiredAt(now)) {
                throw new SshFailure(
                        target,
                        "the SSH certificate " + cert.file() + " (id '" + cert.id() + "') expired at "
                                + cert.validBefore(),
                        "get a new certificate for the key (your site's certificate service, or ssh-keygen -s <ca>), "
                                + "or remove " + cert.file() + " to log in with the plain key");
            }
            if (!cert.validAt(now)) {
                throw new SshFailure(
                        target,
                        "the SSH certificate " + cert.file() + " is not valid before " + cert.validAfter(),
                        "check this machine's clock, or wait until " + cert.validAfter());
            }
            for (KeyPair key : plain) {
                if (KeyUtils.compareKeys(key.getPublic(), cert.key().getCertPubKey())) {
                    keys.add(new KeyPair(cert.key(), key.getPrivate()));
                }
            }
        }
        keys.addAll(plain);
        return keys;
    }

    /** The certificates for the hop's keys: beside each key, and the configuration's CertificateFiles. */
    static List<UserCertificate> certificates(SshTarget target, SshRoute.Hop hop) throws SshFailure {
        List<UserCertificate> certs = new ArrayList<>();
        try {
            for (Path file : hop.identityFiles()) {
                if (Files.isRegularFile(file)) {
                    UserCertificate.beside(file).ifPresent(certs::add);
                }
            }
            for (Path file : hop.certificateFiles()) {
                if (Files.isRegularFile(file)
                        && certs.stream().noneMatch(c -> c.file().equals(file))) {
                    certs.add(UserCertificate.read(file));
                }
            }
        } catch (IOException e) {
            throw new SshFailure(
                    target, e.getMessage(), "replace it with the certificate your site issued for the key", e);
        }
        return certs;
    }

    private static List<KeyPair> read(SshTarget target, Path file) throws SshFailure {
        String passphrase = passphrase(target);
        AtomicBoolean asked = new AtomicBoolean();
        FileKeyPairProvider provider = new FileKeyPairProvider(file);
        provider.setPasswordFinder((FilePasswordProvider) (session, resource, retry) -> {
            asked.set(true);
            return retry == 0 ? passphrase : null;
        });
        List<KeyPair> keys = new ArrayList<>();
        try {
            provider.loadKeys(null).forEach(keys::add);
            if (!keys.isEmpty() || !asked.get()) {
                return keys;
            }
            // without a passphrase MINA passes over an encrypted key silently
            throw new IllegalStateException("no passphrase");
        } catch (RuntimeException e) { // the keys are read lazily, their errors wrapped
            if (asked.get() && passphrase == null) {
                throw new SshFailure(
                        target,
                        "the key " + file + " is encrypted and no passphrase is configured",
                        "set 'key-passphrase-file' to a file (mode 600) holding the passphrase, or "
                                + "'key-passphrase-env' to an environment variable of the router holding it");
            }
            if (asked.get()) {
                throw new SshFailure(
                        target,
                        "the passphrase from " + passphraseSource(target) + " does not decrypt the key " + file,
                        "put the key's passphrase in " + passphraseSource(target));
            }
            throw new SshFailure(
                    target,
                    "cannot read the key " + file + ": " + e.getMessage(),
                    "set 'key' to an OpenSSH or PEM private key file readable by the router",
                    e);
        }
    }

    private static String passphrase(SshTarget target) throws SshFailure {
        if (target.passphraseFile() != null) {
            try {
                String text = Files.readString(target.passphraseFile(), StandardCharsets.UTF_8);
                return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
            } catch (IOException e) {
                throw new SshFailure(
                        target,
                        "cannot read the passphrase file " + target.passphraseFile()
                                + " (setting 'key-passphrase-file'): " + e.getMessage(),
                        "create it, readable by the router only (chmod 600), holding the key's passphrase");
            }
        }
        if (target.passphraseEnv() != null) {
            String value = System.getenv(target.passphraseEnv());
            if (value == null) {
                throw new SshFailure(
                        target,
                        "the environment variable " + target.passphraseEnv()
                                + " (setting 'key-passphrase-env') is not set in the router's environment",
                        "export " + target.passphraseEnv() + " with the key's passphrase where the router starts");
            }
            return value;
        }
        return null;
    }

    private static String passphraseSource(SshTarget target) {
        return target.passphraseFile() != null
                ? "the file " + target.passphraseFile()
                : "the environment variable " + target.passphraseEnv();
    }
}
