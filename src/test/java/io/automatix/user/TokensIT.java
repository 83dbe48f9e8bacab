package io.automatix.user;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.automatix.testing.RunningRouter;
import io.automatix.testing.RunsDb;
import io.automatix.testing.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Token hygiene: issued by an admin, shown once, stored hashed, refused once revoked or expired. */
class TokensIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String ADMIN = TestServices.API_TOKEN;

    private static RunningRouter router;
    private static RunsDb db;

    @BeforeAll
    static void start() throws Exception {
        router = RunningRouter.builder().start();
        db = new RunsDb(router.database());
    }

    @AfterAll
    static void stop() throws Exception {
        if (router != null) {
            router.close();
        }
    }

    @Test
    void aTokenIsShownOnceStoredHashedAndRefusedOnceRevokedOrExpired() throws Exception {
        HttpResponse<String> issued = send(
                ADMIN,
                "POST",
                "/api/tokens",
                "{\"user\":\"tina\",\"role\":\"scientist\",\"groups\":[\"lab\"],\"expires\":\"30d\",\"description\":\"ci\"}");
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        JsonNode t = JSON.readTree(issued.body());
        String token = t.get("token").asText();
        long id = t.get("id").asLong();
        assertThat(token).hasSizeGreaterThan(60);

        // it works, with its user's role: a scientist may not list tokens
        assertThat(send(token, "GET", "/api/runs", null).statusCode()).isEqualTo(200);
        HttpResponse<String> forbidden = send(token, "GET", "/api/tokens", null);
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(forbidden.body()).contains("needs role admin");

        // shown once: the list has neither the token nor its hash
        String list = send(ADMIN, "GET", "/api/tokens", null).body();
        assertThat(list)
                .contains("tina")
                .contains("\"active\"")
                .doesNotContain(token)
                .doesNotContain(Tokens.sha256(token));

        // stored hashed: no column of any token row holds the token
        String rows = db.value("SELECT string_agg(t::text, ' ') FROM api_tokens t");
        assertThat(rows).contains(Tokens.sha256(token)).doesNotContain(token.substring(4));
        assertThat(db.value("SELECT role || ' ' || array_to_string(groups, ',') FROM users WHERE name = 'tina'"))
                .isEqualTo("scientist lab");

        // revoked: refused with a message that names no user
        assertThat(send(ADMIN, "POST", "/api/tokens/" + id + "/revoke", "{}").statusCode())
                .isEqualTo(200);
        HttpResponse<String> revoked = send(token, "GET", "/api/runs", null);
        assertThat(revoked.statusCode()).isEqualTo(401);
        assertThat(revoked.body()).contains("token expired or revoked").doesNotContain("tina");
        assertThat(send(ADMIN, "POST", "/api/tokens/" + id + "/revoke", "{}").statusCode())
                .isEqualTo(409);

        // expired: time passes in the database, which is the truth
        JsonNode second = JSON.readTree(
                send(ADMIN, "POST", "/api/tokens", "{\"user\":\"tina\",\"role\":\"viewer\",\"expires\":\"12h\"}")
                        .body());
        String other = second.get("token").asText();
        assertThat(send(other, "GET", "/api/status", null).statusCode()).isEqualTo(200);
        assertThat(send(other, "POST", "/api/runs", "{\"name\":\"tok_run\"}").statusCode())
                .as("tina is a viewer now")
                .isEqualTo(403);
        db.update(
                "UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = ?",
                second.get("id").asLong());
        HttpResponse<String> expired = send(other, "GET", "/api/status", null);
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(expired.body()).contains("token expired or revoked");
        assertThat(send(ADMIN, "GET", "/api/tokens", null).body())
                .contains("\"expired\"")
                .contains("\"revoked\"");

        // a token must expire; a bad expiry says what is accepted
        assertThat(send(ADMIN, "POST", "/api/tokens", "{\"user\":\"tina\",\"role\":\"viewer\"}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(send(ADMIN, "POST", "/api/tokens", "{\"user\":\"tina\",\"role\":\"viewer\",\"expires\":\"soon\"}")
                        .body())
                .contains("30d, 12h");
    }

    private static HttpResponse<String> send(String token, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(router.url(path)))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
