package io.automatix.oidc;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import io.automatix.user.Principal;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Web sign-in with the authorization-code flow and PKCE (routes/auth.camel.yaml): /auth/login
 * sends the browser to the issuer with a one-time state, a nonce and an S256 code challenge;
 * /auth/callback checks the state against the browser's login cookie, exchanges the code (with
 * the client secret when one is configured), validates the ID token and its nonce, and opens a
 * session whose HttpOnly, SameSite=Lax cookie the API then accepts; /auth/session tells the page
 * who is signed in and the CSRF value its POSTs carry; /auth/logout ends the session.
 */
public final class WebSignIn {

    private static final Logger LOG = LoggerFactory.getLogger(WebSignIn.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LOGIN_COOKIE = "automatix_login";
    private static final String PAGE = "/status";

    /** With OIDC off, or without a client: every /auth path answers 404 saying so. */
    public static final WebSignIn OFF = new WebSignIn(null, null, null, null, null, null, Clock.systemUTC());

    private final OidcSettings settings;
    private final OidcDiscovery discovery;
    private final OidcTokens tokens;
    private final OidcPrincipals principals;
    private final WebSessions sessions;
    private final HttpClient http;
    private final Clock clock;

    public WebSignIn(
            OidcSettings settings,
            OidcDiscovery discovery,
            OidcTokens tokens,
            OidcPrincipals principals,
            WebSessions sessions,
            HttpClient http,
            Clock clock) {
        this.settings = settings;
        this.discovery = discovery;
        this.tokens = tokens;
        this.principals = principals;
        this.sessions = sessions;
        this.http = http;
        this.clock = clock;
    }

    /** GET /auth/login: to the issuer's authorization endpoint. */
    public void login(Exchange exchange) {
        Message m = exchange.getMessage();
        if (!enabled(m)) {
            return;
        }
        String verifier = WebSessions.random();
        String nonce = WebSessions.random();
        String state = sessions.begin(new WebSessions.Pending(nonce, verifier, clock.instant()));
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", settings.clientId().orElseThrow());
        query.put("redirect_uri", settings.redirectUri().orElseThrow().toString());
        query.put("scope", settings.scopes());
        query.put("state", state);
        query.put("nonce", nonce);
        query.put("code_challenge", challenge(verifier));
        query.put("code_challenge_method", "S256");
        URI authorize = discovery.endpoints().authorization();
        String location = authorize + (authorize.getRawQuery() == null ? "?" : "&") + form(query);
        m.removeHeaders("*");
        m.setHeader("Set-Cookie", cookie(LOGIN_COOKIE, state, "/auth", (int) WebSessions.LOGIN_TIME.toSeconds()));
        redirect(m, location);
    }

    /** GET /auth/callback?code=&state=: the session, and back to the status page. */
    public void callback(Exchange exchange) {
        Message m = exchange.getMessage();
        if (!enabled(m)) {
            return;
        }
        Map<String, String> query = query(m.getHeader(Exchange.HTTP_QUERY, String.class));
        String browserState = OidcAdmission.cookie(m, LOGIN_COOKIE);
        m.removeHeaders("*");
        try {
            if (query.containsKey("error")) {
                throw new TokenRefused("the issuer refused the sign-in: " + query.get("error")
                        + (query.containsKey("error_description") ? " (" + query.get("error_description") + ")" : ""));
            }
            String state = query.get("state");
            if (state == null
                    || browserState == null
                    || !MessageDigest.isEqual(
                            state.getBytes(StandardCharsets.UTF_8), browserState.getBytes(StandardCharsets.UTF_8))) {
                throw new TokenRefused("this sign-in was not started in this browser (state does not match):"
                        + " start again at /auth/login");
            }
            WebSessions.Pending login = sessions.finish(state)
                    .orElseThrow(() ->
                            new TokenRefused("this sign-in expired or was already used: start again at /auth/login"));
            String code = query.get("code");
            if (code == null) {
                throw new TokenRefused("the issuer sent no code: start again at /auth/login");
            }
            String idToken = exchangeCode(code, login.verifier());
            JWTClaimsSet claims = tokens.verify(idToken, settings.clientId().orElseThrow());
            Object nonce = claims.getClaim("nonce");
            if (!login.nonce().equals(nonce)) {
                throw new TokenRefused("the ID token's nonce is not this sign-in's: start again at /auth/login");
            }
            Principal principal = principals.principal(claims);
            Instant expires = claims.getExpirationTime().toInstant();
            String id = sessions.open(principal, expires);
            LOG.info(
                    "OIDC: {} signed in as {} until {}",
                    principal.name(),
                    principal.role().stored(),
                    expires);
            int maxAge =
                    (int) Math.max(0, Duration.between(clock.instant(), expires).toSeconds());
            m.setHeader(
                    "Set-Cookie",
                    List.of(cookie(OidcAdmission.COOKIE, id, "/", maxAge), cookie(LOGIN_COOKIE, "", "/auth", 0)));
            redirect(m, PAGE);
        } catch (TokenRefused e) {
            LOG.info("OIDC: a sign-in was refused: {}", e.getMessage());
            m.setHeader("Set-Cookie", cookie(LOGIN_COOKIE, "", "/auth", 0));
            text(m, 401, "Sign-in failed: " + e.getMessage() + "\n");
        }
    }

    /** GET or POST /auth/logout: the session ends, and back to the status page. */
    public void logout(Exchange exchange) {
        Message m = exchange.getMessage();
        if (!enabled(m)) {
            return;
        }
        sessions.close(OidcAdmission.cookie(m, OidcAdmission.COOKIE));
        m.removeHeaders("*");
        m.setHeader("Set-Cookie", cookie(OidcAdmission.COOKIE, "", "/", 0));
        redirect(m, PAGE);
    }

    /** GET /auth/session: who the cookie signs in (with the CSRF value for POSTs), or 401 with where to sign in. */
    public void session(Exchange exchange) throws IOException {
        Message m = exchange.getMessage();
        if (!enabled(m)) {
            return;
        }
        Optional<WebSessions.Session> session = sessions.find(OidcAdmission.cookie(m, OidcAdmission.COOKIE));
        m.removeHeaders("*");
        Map<String, Object> body = new LinkedHashMap<>();
        if (session.isEmpty()) {
            body.put("error", "not signed in: sign in at /auth/login");
            body.put("sign_in", "/auth/login");
            json(m, 401, body);
            return;
        }
        Principal p = session.get().principal();
        body.put("user", p.name());
        body.put("role", p.role().stored());
        body.put("groups", p.groups().stream().sorted().toList());
        body.put("expires_at", session.get().expires().toString());
        body.put("csrf", session.get().csrf());
        m.setHeader("Cache-Control", "no-store");
        json(m, 200, body);
    }

    private boolean enabled(Message m) {
        if (settings != null && settings.webSignIn()) {
            return true;
        }
        m.removeHeaders("*");
        json(
                m,
                404,
                Map.of(
                        "error",
                        "web sign-in is not configured: set automatix.oidc.issuer, client-id and redirect-uri"));
        return false;
    }

    /** The ID token for an authorization code, from the token endpoint. */
    private String exchangeCode(String code, String verifier) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", settings.redirectUri().orElseThrow().toString());
        form.put("code_verifier", verifier);
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        discovery.endpoints().token())
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json");
        String clientId = settings.clientId().orElseThrow();
        if (settings.clientSecret().isPresent()) {
            String basic = URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
                    + URLEncoder.encode(settings.clientSecret().get(), StandardCharsets.UTF_8);
            request.header(
                    "Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
        } else {
            form.put("client_id", clientId);
        }
        try {
            HttpResponse<String> response = http.send(
                    request.POST(HttpRequest.BodyPublishers.ofString(form(form)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(response.body());
            if (response.statusCode() != 200) {
                // the issuer's error words, never our request (it holds the secret and the code)
                throw new TokenRefused("the issuer's token endpoint answered HTTP " + response.statusCode() + " "
                        + body.path("error").asText("") + " "
                        + body.path("error_description").asText("")
                        + ": check automatix.oidc.client-id, client-secret and redirect-uri");
            }
            String idToken = body.path("id_token").textValue();
            if (idToken == null) {
                throw new TokenRefused("the issuer sent no ID token: include 'openid' in automatix.oidc.scopes");
            }
            return idToken;
        } catch (IOException e) {
            throw new TokenRefused("the issuer's token endpoint could not be reached (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenRefused("interrupted");
        }
    }

    private String cookie(String name, String value, String path, int maxAge) {
        return name + "=" + value + "; Path=" + path + "; Max-Age=" + maxAge + "; HttpOnly; SameSite=Lax"
                + (settings != null && settings.secureCookies() ? "; Secure" : "");
    }

    static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String form(Map<String, String> values) {
        return values.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** A raw query string's parameters; a name given twice counts as its first value. */
    static Map<String, String> query(String raw) {
        Map<String, String> values = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                String[] f = pair.split("=", 2);
                try {
                    values.putIfAbsent(
                            URLDecoder.decode(f[0], StandardCharsets.UTF_8),
                            f.length == 2 ? URLDecoder.decode(f[1], StandardCharsets.UTF_8) : "");
                } catch (IllegalArgumentException e) {
                    // a malformed escape: the parameter counts as absent
                }
            }
        }
        return values;
    }

    private static void redirect(Message m, String location) {
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, 302);
        m.setHeader("Location", location);
        m.setHeader("Cache-Control", "no-store");
        m.setBody("");
    }

    private static void text(Message m, int status, String text) {
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        m.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
        m.setHeader("Cache-Control", "no-store");
        m.setBody(text);
    }

    private static void json(Message m, int status, Map<String, ?> body) {
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        try {
            m.setBody(JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
