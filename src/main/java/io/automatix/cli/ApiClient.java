package io.automatix.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.automatix.api.PemKeyStore;
import io.automatix.config.SecretFile;

/**
 * The CLI's way to a running router: its REST API with a token. The token is {@code --token}
 * (with a warning: other users see it in {@code ps}), else {@code AUTOMATIX_TOKEN}, else the file
 * {@code --token-file} or {@code AUTOMATIX_TOKEN_FILE}, else the one the router made in
 * {@code <home>/data/api-token}. Over https the router's certificate is checked against the system's
 * CAs, or against {@code --ca} / {@code AUTOMATIX_CA} (a PEM file: a site CA or the router's own
 * certificate).
 */
final class ApiClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final String url;
    private final String token;

    ApiClient(String url, String token) {
        this(url, token, null);
    }

    /** @param trusted the TLS context trusting the router's certificate; null: the system's CAs */
    ApiClient(String url, String token, SSLContext trusted) {
        this.url = url.replaceAll("/+$", "");
        this.token = token;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (trusted != null) {
            builder.sslContext(trusted);
        }
        this.http = builder.build();
    }

    static String token(String given, Path home) throws IOException {
        return token(given, null, home);
    }

    static String token(String given, Path givenFile, Path home) throws IOException {
        if (given != null && !given.isBlank()) {
            System.err.println("automatix: warning: --token is visible to every user of this host (ps,"
                    + " /proc); set AUTOMATIX_TOKEN or use --token-file / AUTOMATIX_TOKEN_FILE instead");
            return given;
        }
        String env = System.getenv("AUTOMATIX_TOKEN");
        if (env != null && !env.isBlank()) {
            return env;
        }
        String envFile = System.getenv("AUTOMATIX_TOKEN_FILE");
        Path file =
                givenFile != null ? givenFile : envFile != null && !envFile.isBlank() ? Path.of(envFile.trim()) : null;
        if (file != null) {
            try {
                return SecretFile.read(
                        "the API token", file, givenFile != null ? "--token-file" : "AUTOMATIX_TOKEN_FILE");
            } catch (IllegalStateException e) {
                throw new CliError(e.getMessage());
            }
        }
        Path made = home.resolve("data/api-token");
        if (Files.isReadable(made)) {
            return Files.readString(made).strip();
        }
        throw new CliError("no API token: set AUTOMATIX_TOKEN, give --token-file (or AUTOMATIX_TOKEN_FILE),"
                + " or run where data/api-token is");
    }

    /** A TLS context trusting the certificates of the PEM file {@code --ca} or {@code AUTOMATIX_CA}; null: none given. */
    static SSLContext trusted(Path given) {
        String env = System.getenv("AUTOMATIX_CA");
        Path file = given != null ? given : env != null && !env.isBlank() ? Path.of(env.trim()) : null;
        if (file == null) {
            return null;
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (Certificate c : PemKeyStore.certificates(file, given != null ? "--ca" : "AUTOMATIX_CA")) {
                store.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IllegalStateException e) {
            throw new CliError(e.getMessage());
        } catch (GeneralSecurityException | IOException e) {
            throw new CliError("cannot trust the certificates of " + file + ": " + e.getMessage());
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    JsonNode get(String path) throws IOException, InterruptedException {
        return send("GET", path, null, TIMEOUT);
    }

    /** For what takes long on the router's side (a doctor's test job). */
    JsonNode get(String path, Duration timeout) throws IOException, InterruptedException {
        return send("GET", path, null, timeout);
    }

    JsonNode post(String path, Object body) throws IOException, InterruptedException {
        return send("POST", path, body, TIMEOUT);
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** @throws CliError with the API's own error (and the WDF's errors, one per line) */
    private JsonNode send(String method, String path, Object body, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path))
                .timeout(timeout)
                .header("Authorization", "Bearer " + token)
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new CliError("no router answers at " + url + " (start it with: automatix router)");
        }
        JsonNode answer = response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
        if (response.statusCode() >= 400) {
            StringBuilder message = new StringBuilder(answer.path("error").asText("HTTP " + response.statusCode()));
            answer.path("errors").forEach(e -> message.append("\n").append(e.asText()));
            throw new CliError(message.toString());
        }
        return answer;
    }
}
