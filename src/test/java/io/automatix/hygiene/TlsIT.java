package io.automatix.hygiene;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.automatix.testing.CliProcess;
import io.automatix.testing.RunningRouter;
import io.automatix.testing.TestServices;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * HTTPS from a PEM certificate and key (a self-signed one made here with openssl): the API and
 * /observe answer over https to a client trusting it, plain http gets nothing on that port, and the
 * CLI talks to it with --ca; its token may come from a file, and --token warns.
 */
class TlsIT {

    @Test
    void theApiServesHttpsFromPemFilesAndTheCliTrustsItsCertificate() throws Exception {
        Path dir = Files.createTempDirectory("tls");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder(
                        "openssl",
                        "req",
                        "-x509",
                        "-newkey",
                        "rsa:2048",
                        "-nodes",
                        "-days",
                        "2",
                        "-subj",
                        "/CN=localhost",
                        "-addext",
                        "subjectAltName=IP:127.0.0.1,DNS:localhost",
                        "-keyout",
                        key.toString(),
                        "-out",
                        cert.toString())
                .redirectErrorStream(true)
                .start();
        String made = new String(openssl.getInputStream().readAllBytes());
        assertThat(openssl.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(openssl.exitValue()).as(made).isZero();
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));

        try (RunningRouter router = RunningRouter.builder()
                .property("automatix.api.tls-cert", cert.toString())
                .property("automatix.api.tls-key", key.toString())
                .property("automatix.transfer.dry-run", "true")
                .start()) {
            String https = router.url("").replace("http://", "https://");
            HttpClient trusting = HttpClient.newBuilder()
                    .sslContext(trusting(cert))
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            // healthy once every polling consumer has polled, a moment after the start
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                HttpResponse<String> health = trusting.send(
                        HttpRequest.newBuilder(URI.create(https + "/observe/health"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
            });
            HttpResponse<String> runs = trusting.send(
                    HttpRequest.newBuilder(URI.create(https + "/api/runs"))
                            .header("Authorization", "Bearer " + TestServices.API_TOKEN)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(runs.statusCode()).as(runs.body()).isEqualTo(200);

            // plain http on the same port: no answer
            assertThatThrownBy(() -> router.get("/observe/health")).isInstanceOf(IOException.class);
            // a client that does not trust the certificate: refused by the handshake
            assertThatThrownBy(() -> HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(URI.create(https + "/observe/health"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IOException.class);

            // the CLI with --ca, its token from a file (AUTOMATIX_TOKEN unset)
            Path tokenFile = dir.resolve("token");
            Files.writeString(tokenFile, TestServices.API_TOKEN + "\n");
            Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
            CliProcess.Result fromFile = CliProcess.run(
                    https,
                    Map.of("AUTOMATIX_TOKEN", "", "AUTOMATIX_TOKEN_FILE", tokenFile.toString()),
                    null,
                    "--ca",
                    cert.toString(),
                    "status");
            assertThat(fromFile.exit()).as(fromFile.err()).isZero();
            assertThat(fromFile.err()).doesNotContain("warning");
            // AUTOMATIX_CA, and --token, which warns
            CliProcess.Result given = CliProcess.run(
                    https,
                    Map.of("AUTOMATIX_TOKEN", "", "AUTOMATIX_CA", cert.toString()),
                    null,
                    "--token",
                    TestServices.API_TOKEN,
                    "status");
            assertThat(given.exit()).as(given.err()).isZero();
            assertThat(given.err())
                    .contains("warning: --token is visible to every user")
                    .contains("AUTOMATIX_TOKEN")
                    .contains("--token-file");
            // a token file every user may read is refused, naming it
            Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-r--r--"));
            CliProcess.Result open = CliProcess.run(
                    https,
                    Map.of("AUTOMATIX_TOKEN", "", "AUTOMATIX_CA", cert.toString()),
                    null,
                    "--token-file",
                    tokenFile.toString(),
                    "status");
            assertThat(open.exit()).isEqualTo(1);
            assertThat(open.err()).contains(tokenFile.toString()).contains("readable by every user");
            // without the CA, the CLI does not trust the router
            CliProcess.Result untrusted = CliProcess.run(https, Map.of(), null, "status");
            assertThat(untrusted.exit()).isEqualTo(1);
        }
    }

    private static SSLContext trusting(Path cert) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (var in = Files.newInputStream(cert)) {
            Certificate c = CertificateFactory.getInstance("X.509").generateCertificate(in);
            store.setCertificateEntry("router", c);
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
