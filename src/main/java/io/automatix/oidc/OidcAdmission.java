package io.automatix.oidc;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;

import io.automatix.user.Principal;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The API's OIDC door (called by ApiHttp.admit): a bearer token shaped as a JWT is validated
 * against the issuer, and a request without an Authorization header may come with a web sign-in's
 * session cookie instead, a state-changing one only with the session's CSRF value in
 * {@value #CSRF_HEADER}. Anything else is left to the router's own tokens.
 */
public final class OidcAdmission {

    public static final String COOKIE = "automatix_session";
    public static final String CSRF_HEADER = "X-Automatix-Csrf";

    /** With OIDC off: nothing is decided here. */
    public static final OidcAdmission OFF = new OidcAdmission(null, null, null, null);

    private final OidcSettings settings;
    private final OidcTokens tokens;
    private final OidcPrincipals principals;
    private final WebSessions sessions;

    public OidcAdmission(OidcSettings settings, OidcTokens tokens, OidcPrincipals principals, WebSessions sessions) {
        this.settings = settings;
        this.tokens = tokens;
        this.principals = principals;
        this.sessions = sessions;
    }

    /**
     * The principal of an OIDC bearer token or sign-in cookie; empty when the request carries
     * neither (the router's own tokens decide then).
     *
     * @throws TokenRefused for a JWT or a session that does not admit the request
     */
    public Optional<Principal> principal(Message in) {
        if (settings == null) {
            return Optional.empty();
        }
        String authorization = in.getHeader("Authorization", String.class);
        if (authorization != null) {
            String token = authorization.startsWith("Bearer ")
                    ? authorization.substring(7).strip()
                    : "";
            if (!OidcTokens.looksLikeJwt(token)) {
                return Optional.empty();
            }
            var claims = tokens.verify(token, settings.audience());
            if ("ID".equals(claims.getClaim("typ"))) {
                throw new TokenRefused("an ID token is not an access token: send the access token");
            }
            return Optional.of(principals.principal(claims));
        }
        String id = cookie(in, COOKIE);
        if (id == null) {
            return Optional.empty();
        }
        WebSessions.Session session = sessions.find(id)
                .orElseThrow(() -> new TokenRefused("the sign-in has expired or ended: sign in again at /auth/login"));
        String method = in.getHeader(Exchange.HTTP_METHOD, "GET", String.class);
        if (!method.equals("GET") && !method.equals("HEAD")) {
            Object sent = in.getHeader(CSRF_HEADER);
            if (!(sent instanceof String csrf)
                    || queryNames(in).contains(CSRF_HEADER.toLowerCase(Locale.ROOT))
                    || !MessageDigest.isEqual(
                            csrf.getBytes(StandardCharsets.UTF_8),
                            session.csrf().getBytes(StandardCharsets.UTF_8))) {
                throw new TokenRefused("a signed-in page must send the " + CSRF_HEADER
                        + " header with the value from GET /auth/session for " + method + " requests");
            }
        }
        return Optional.of(session.principal());
    }

    /**
     * A cookie of the request's Cookie header, or null. A Cookie "header" that platform-http made
     * from a query parameter (a list, or a query naming it) counts as none.
     */
    static String cookie(Message in, String name) {
        Object header = in.getHeader("Cookie");
        if (!(header instanceof String cookies) || queryNames(in).contains("cookie")) {
            return null;
        }
        for (String pair : cookies.split(";")) {
            String[] f = pair.strip().split("=", 2);
            if (f.length == 2 && f[0].equals(name)) {
                return f[1];
            }
        }
        return null;
    }

    private static java.util.Set<String> queryNames(Message in) {
        java.util.Set<String> names = new java.util.HashSet<>();
        String query = in.getHeader(Exchange.HTTP_QUERY, String.class);
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                try {
                    names.add(URLDecoder.decode(pair.split("=", 2)[0], StandardCharsets.UTF_8)
                            .strip()
                            .toLowerCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    names.add(pair.toLowerCase(Locale.ROOT));
                }
            }
        }
        return names;
    }
}
