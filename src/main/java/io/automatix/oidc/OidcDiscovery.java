package io.automatix.oidc;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The issuer's endpoints from its discovery document, fetched when first needed (the router starts
 * while the identity provider is down) and kept once read.
 */
public final class OidcDiscovery {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the router uses of the discovery document. */
    public record Endpoints(URI authorization, URI token, URI jwks, Optional<URI> endSession) {}

    private final OidcSettings settings;
    private final HttpClient http;
    private volatile Endpoints endpoints;

    public OidcDiscovery(OidcSettings settings, HttpClient http) {
        this.settings = settings;
        this.http = http;
    }

    public Endpoints endpoints() {
        Endpoints known = endpoints;
        if (known == null) {
            synchronized (this) {
                if (endpoints == null) {
                    endpoints = fetch();
                }
                known = endpoints;
            }
        }
        return known;
    }

    private Endpoints fetch() {
        URI where = settings.discoveryUri();
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(where)
                            .timeout(Duration.ofSeconds(10))
                            .header("Accept", "application/json")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("OIDC discovery " + where + " answered HTTP " + response.statusCode()
                        + ": check automatix.oidc.issuer");
            }
            JsonNode doc = JSON.readTree(response.body());
            if (!settings.issuer().equals(doc.path("issuer").asText())) {
                throw new IllegalStateException("OIDC discovery " + where + " names the issuer '"
                        + doc.path("issuer").asText() + "', not automatix.oidc.issuer '" + settings.issuer()
                        + "': set automatix.oidc.issuer to exactly the issuer its tokens carry");
            }
            URI jwks = settings.jwksUri().orElseGet(() -> required(doc, "jwks_uri", where));
            return new Endpoints(
                    required(doc, "authorization_endpoint", where),
                    required(doc, "token_endpoint", where),
                    jwks,
                    Optional.ofNullable(doc.path("end_session_endpoint").textValue())
                            .map(URI::create));
        } catch (IOException e) {
            throw new IllegalStateException("OIDC discovery " + where + " could not be read (" + e.getMessage()
                    + "): is the identity provider up and automatix.oidc.issuer right?");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + where);
        }
    }

    private static URI required(JsonNode doc, String field, URI where) {
        String value = doc.path(field).textValue();
        if (value == null) {
            throw new IllegalStateException("OIDC discovery " + where + " has no " + field);
        }
        return URI.create(value);
    }
}
