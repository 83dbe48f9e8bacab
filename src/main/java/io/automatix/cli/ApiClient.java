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
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The CLI's way to a running router: its REST API with a token. The token is {@code --token},
 * else {@code AUTOMATIX_TOKEN}, else the one the router made in {@code <home>/data/api-token}.
 */
final class ApiClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String url;
    private final String token;

    ApiClient(String url, String token) {
        this.url = url.replaceAll("/+$", "");
        this.token = token;
    }

    static String token(String given, Path home) throws IOException {
        if (given != null && !given.isBlank()) {
            return given;
        }
        String env = System.getenv("AUTOMATIX_TOKEN");
        if (env != null && !env.isBlank()) {
            return env;
        }
        Path file = home.resolve("data/api-token");
        if (Files.isReadable(file)) {
            return Files.readString(file).strip();
        }
        throw new CliError("no API token: give --token, set AUTOMATIX_TOKEN, or run where data/api-token is");
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
