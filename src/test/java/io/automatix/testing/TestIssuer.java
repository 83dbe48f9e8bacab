package io.automatix.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An OpenID provider in the test's JVM, since Keycloak does not start reliably within 90 s on the
 * shared 2-core machine (README "Sign-in with OIDC"). It is a real one over HTTP: a discovery
 * document, a JWKS of RSA keys that {@link #rotate} adds to, an authorization endpoint with a
 * sign-in form that requires PKCE S256, and a token endpoint that checks the client secret, the
 * redirect URI, the one-time code and its verifier. Its tokens look like Keycloak's: groups as
 * paths ("/lab-a"), realm roles under realm_access.roles, preferred_username.
 */
public final class TestIssuer implements AutoCloseable {

    public static final String CLIENT_ID = "automatix";
    public static final String CLIENT_SECRET = "test-client-secret-8c1f";
    public static final String PASSWORD = "password";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A user: its groups (Keycloak group paths) and realm roles. */
    public record User(List<String> groups, List<String> realmRoles) {}

    private record Login(String redirectUri, String state, String nonce, String challenge) {}

    private record Grant(String user, String redirectUri, String nonce, String challenge) {}

    private final HttpServer server;
    private final String issuer;
    private final Map<String, User> users;
    private final List<RSAKey> keys = new ArrayList<>();
    private final RSAKey stranger;
    private final Map<String, Login> logins = new ConcurrentHashMap<>();
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private final AtomicInteger jwksFetches = new AtomicInteger();
    private final Map<String, String> idTokens = new ConcurrentHashMap<>();
    private volatile String redirectUri;

    public TestIssuer(Map<String, User> users) throws Exception {
        this.users = Map.copyOf(users);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        this.issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/automatix";
        keys.add(newKey());
        stranger = newKey();
        server.createContext("/realms/automatix/", this::handle);
        server.start();
    }

    public String issuer() {
        return issuer;
    }

    /** The one redirect URI the client has registered. */
    public void registerRedirectUri(String uri) {
        this.redirectUri = uri;
    }

    /** The last ID token the token endpoint gave for the user. */
    public String idToken(String user) {
        return idTokens.get(user);
    }

    public int jwksFetches() {
        return jwksFetches.get();
    }

    /** A new signing key: it signs from now on, and the JWKS lists it next to the old ones. */
    public synchronized String rotate() throws Exception {
        keys.add(newKey());
        return current().getKeyID();
    }

    /** An access token for the user, valid for 5 minutes, for the audience {@code automatix}. */
    public Token token(String user) {
        return new Token(user);
    }

    /** A token being made; each setter makes it wrong in one way. */
    public final class Token {
        private final String user;
        private String audience = CLIENT_ID;
        private String issuedBy = issuer;
        private Instant expires = Instant.now().plusSeconds(300);
        private boolean strangerKey;

        Token(String user) {
            this.user = user;
        }

        public Token audience(String audience) {
            this.audience = audience;
            return this;
        }

        public Token issuer(String issuer) {
            this.issuedBy = issuer;
            return this;
        }

        public Token expired(Duration ago) {
            this.expires = Instant.now().minus(ago);
            return this;
        }

        /** Signed with a key the issuer never published. */
        public Token unknownKey() {
            this.strangerKey = true;
            return this;
        }

        public String sign() throws Exception {
            return TestIssuer.this.sign(
                    claims(user, audience, issuedBy, expires, "Bearer", null), strangerKey ? stranger : current());
        }
    }

    private JWTClaimsSet claims(String user, String audience, String iss, Instant expires, String typ, String nonce) {
        User u = users.get(user);
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder()
                .issuer(iss)
                .subject(UUID.nameUUIDFromBytes(user.getBytes(StandardCharsets.UTF_8))
                        .toString())
                .audience(audience)
                .expirationTime(Date.from(expires))
                .issueTime(new Date())
                .claim("typ", typ)
                .claim("azp", CLIENT_ID)
                .claim("preferred_username", user)
                .claim("groups", u.groups())
                .claim("realm_access", Map.of("roles", u.realmRoles()));
        if (nonce != null) {
            b.claim("nonce", nonce);
        }
        return b.build();
    }

    private synchronized RSAKey current() {
        return keys.get(keys.size() - 1);
    }

    private String sign(JWTClaimsSet claims, RSAKey key) throws Exception {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .keyID(key.getKeyID())
                        .type(JOSEObjectType.JWT)
                        .build(),
                claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static RSAKey newKey() throws Exception {
        return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring("/realms/automatix".length());
            String method = exchange.getRequestMethod();
            if (path.equals("/.well-known/openid-configuration")) {
                json(
                        exchange,
                        200,
                        Map.of(
                                "issuer",
                                issuer,
                                "authorization_endpoint",
                                issuer + "/protocol/openid-connect/auth",
                                "token_endpoint",
                                issuer + "/protocol/openid-connect/token",
                                "jwks_uri",
                                issuer + "/protocol/openid-connect/certs",
                                "response_types_supported",
                                List.of("code"),
                                "code_challenge_methods_supported",
                                List.of("S256"),
                                "id_token_signing_alg_values_supported",
                                List.of("RS256")));
            } else if (path.equals("/protocol/openid-connect/certs")) {
                jwksFetches.incrementAndGet();
                List<com.nimbusds.jose.jwk.JWK> published;
                synchronized (this) {
                    published = keys.stream()
                            .map(k -> (com.nimbusds.jose.jwk.JWK) k.toPublicJWK())
                            .toList();
                }
                send(exchange, 200, "application/json", new JWKSet(published).toString());
            } else if (path.equals("/protocol/openid-connect/auth") && method.equals("GET")) {
                authorize(exchange, form(exchange.getRequestURI().getRawQuery()));
            } else if (path.equals("/protocol/openid-connect/auth") && method.equals("POST")) {
                signIn(exchange, form(body(exchange)));
            } else if (path.equals("/protocol/openid-connect/token") && method.equals("POST")) {
                token(exchange, form(body(exchange)));
            } else {
                send(exchange, 404, "text/plain", "no such endpoint");
            }
        } catch (Exception e) {
            send(exchange, 500, "text/plain", e.toString());
        }
    }

    private void authorize(HttpExchange exchange, Map<String, String> q) throws IOException {
        String problem = !"code".equals(q.get("response_type"))
                ? "unsupported_response_type"
                : !CLIENT_ID.equals(q.get("client_id"))
                        ? "unknown client"
                        : redirectUri == null || !redirectUri.equals(q.get("redirect_uri"))
                                ? "invalid redirect_uri"
                                : !"S256".equals(q.get("code_challenge_method")) || q.get("code_challenge") == null
                                        ? "PKCE S256 required"
                                        : q.getOrDefault("scope", "").contains("openid")
                                                ? null
                                                : "scope openid required";
        if (problem != null) {
            send(exchange, 400, "text/plain", problem);
            return;
        }
        String login = UUID.randomUUID().toString();
        logins.put(login, new Login(q.get("redirect_uri"), q.get("state"), q.get("nonce"), q.get("code_challenge")));
        send(exchange, 200, "text/html; charset=utf-8", """
                <!DOCTYPE html><html><head><title>Sign in to automatix</title></head><body>
                <form method="post" action="/realms/automatix/protocol/openid-connect/auth">
                <input type="hidden" name="login" value="%s">
                <label>Username <input id="username" name="username"></label>
                <label>Password <input id="password" name="password" type="password"></label>
                <button id="kc-login" type="submit">Sign In</button>
                </form></body></html>
                """.formatted(login));
    }

    private void signIn(HttpExchange exchange, Map<String, String> f) throws IOException {
        Login login = logins.remove(f.getOrDefault("login", ""));
        String user = f.get("username");
        if (login == null || !users.containsKey(user) || !PASSWORD.equals(f.get("password"))) {
            send(exchange, 401, "text/plain", "Invalid username or password.");
            return;
        }
        String code = UUID.randomUUID().toString();
        codes.put(code, new Grant(user, login.redirectUri(), login.nonce(), login.challenge()));
        exchange.getResponseHeaders()
                .add(
                        "Location",
                        login.redirectUri() + "?state=" + URLEncoder.encode(login.state(), StandardCharsets.UTF_8)
                                + "&code=" + code);
        exchange.sendResponseHeaders(302, -1);
    }

    private void token(HttpExchange exchange, Map<String, String> f) throws Exception {
        String basic = exchange.getRequestHeaders().getFirst("Authorization");
        String expected = "Basic "
                + Base64.getEncoder()
                        .encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(basic)) {
            json(exchange, 401, Map.of("error", "invalid_client"));
            return;
        }
        Grant grant = codes.remove(f.getOrDefault("code", ""));
        if (!"authorization_code".equals(f.get("grant_type"))
                || grant == null
                || !grant.redirectUri().equals(f.get("redirect_uri"))) {
            json(exchange, 400, Map.of("error", "invalid_grant"));
            return;
        }
        String verifier = f.getOrDefault("code_verifier", "");
        String challenge = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                        MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        if (!challenge.equals(grant.challenge())) {
            json(exchange, 400, Map.of("error", "invalid_grant", "error_description", "PKCE verification failed"));
            return;
        }
        Instant expires = Instant.now().plusSeconds(300);
        String idToken = sign(claims(grant.user(), CLIENT_ID, issuer, expires, "ID", grant.nonce()), current());
        idTokens.put(grant.user(), idToken);
        json(
                exchange,
                200,
                Map.of(
                        "access_token",
                        sign(claims(grant.user(), CLIENT_ID, issuer, expires, "Bearer", null), current()),
                        "id_token",
                        idToken,
                        "token_type",
                        "Bearer",
                        "expires_in",
                        300));
    }

    private static String body(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Map<String, String> form(String raw) {
        Map<String, String> values = new HashMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                String[] kv = pair.split("=", 2);
                values.put(
                        URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length == 2 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return values;
    }

    private static void json(HttpExchange exchange, int status, Object body) throws IOException {
        send(exchange, status, "application/json", JSON.writeValueAsString(body));
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
