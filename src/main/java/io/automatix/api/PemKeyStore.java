package io.automatix.api;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;

import io.automatix.config.SecretFile;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * The API's HTTPS identity from the PEM files a site's certificate tooling (certbot, an internal CA)
 * writes, made into an in-memory key store for Camel's SSL parameters: Camel's own
 * {@code camel.ssl.key-store} takes only key store files. The key file is a secret: it must not be
 * readable by every user ({@link SecretFile}).
 */
public final class PemKeyStore {

    private PemKeyStore() {}

    /** The server side of TLS for platform-http (and so /observe, which shares its server). */
    public static SSLContextParameters serverParameters(Path certificate, Path key) {
        char[] password =
                HexFormat.of().formatHex(new SecureRandom().generateSeed(16)).toCharArray();
        KeyStore store = keyStore(certificate, key, password);
        KeyStoreParameters storeParameters = new KeyStoreParameters();
        storeParameters.setKeyStore(store);
        KeyManagersParameters keyManagers = new KeyManagersParameters();
        keyManagers.setKeyStore(storeParameters);
        keyManagers.setKeyPassword(new String(password));
        SSLContextParameters parameters = new SSLContextParameters();
        parameters.setKeyManagers(keyManagers);
        return parameters;
    }

    static KeyStore keyStore(Path certificate, Path key, char[] password) {
        List<Certificate> chain = certificates(certificate, "automatix.api.tls-cert");
        PrivateKey privateKey = privateKey(key);
        matches(privateKey, (X509Certificate) chain.get(0), certificate, key);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("automatix", privateKey, password, chain.toArray(Certificate[]::new));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(
                    "cannot build the API's key store from " + certificate + " and " + key + ": " + e.getMessage(), e);
        }
    }

    /** Every certificate of a PEM file, the server's first (also for the CLI's trusted CA file). */
    public static List<Certificate> certificates(Path file, String setting) {
        if (!Files.isReadable(file)) {
            throw new IllegalStateException(setting + ": cannot read the certificate file " + file);
        }
        try (var in = new ByteArrayInputStream(Files.readAllBytes(file))) {
            List<Certificate> chain =
                    List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
            if (chain.isEmpty()) {
                throw new IllegalStateException(setting + ": no PEM certificate in " + file);
            }
            return chain;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(
                    setting + ": " + file + " is not a PEM certificate file: " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(Path file) {
        String pem = SecretFile.read("automatix.api.tls-key", file, "the API's TLS key");
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof PrivateKeyInfo info) { // BEGIN PRIVATE KEY (PKCS#8)
                    return converter.getPrivateKey(info);
                }
                if (o instanceof PEMKeyPair pair) { // BEGIN RSA PRIVATE KEY, BEGIN EC PRIVATE KEY
                    return converter.getKeyPair(pair).getPrivate();
                }
                if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new IllegalStateException("automatix.api.tls-key: the key in " + file
                            + " is encrypted; the router starts unattended, so give it unencrypted"
                            + " (openssl pkey -in " + file + " -out key.pem), readable by its user only");
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(
                    "automatix.api.tls-key: " + file + " is not a PEM private key: " + e.getMessage(), e);
        }
        throw new IllegalStateException("automatix.api.tls-key: no PEM private key in " + file);
    }

    /** A key that does not belong to the certificate would only show as failed handshakes: say so at startup. */
    private static void matches(PrivateKey key, X509Certificate certificate, Path certificateFile, Path keyFile) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            return;
        }
        try {
            byte[] probe = "automatix".getBytes(StandardCharsets.UTF_8);
            Signature sign = Signature.getInstance(algorithm);
            sign.initSign(key);
            sign.update(probe);
            byte[] signature = sign.sign();
            Signature verify = Signature.getInstance(algorithm);
            verify.initVerify(certificate.getPublicKey());
            verify.update(probe);
            if (verify.verify(signature)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            // a key of another type than the certificate's: not its key either
        }
        throw new IllegalStateException("automatix.api.tls-key: the key in " + keyFile
                + " is not the key of the certificate in " + certificateFile + " ("
                + certificate.getSubjectX500Principal() + ")");
    }
}
