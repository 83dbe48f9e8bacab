package io.automatix.oidc;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.automatix.config.Settings;
import io.automatix.user.Role;

/**
 * The {@code automatix.oidc.*} settings. Without {@code automatix.oidc.issuer} OIDC is off; web
 * sign-in needs a client id and a redirect URI as well. The client secret is never printed.
 */
public record OidcSettings(
        String issuer,
        String audience,
        Optional<URI> jwksUri,
        String userClaim,
        String groupsClaim,
        Map<String, Role> roleMap,
        Optional<String> clientId,
        Optional<String> clientSecret,
        Optional<URI> redirectUri,
        String scopes,
        Duration clockSkew) {

    /** The settings, or empty when no issuer is configured. */
    public static Optional<OidcSettings> from(Settings settings) {
        Optional<String> issuer = settings.optional("automatix.oidc.issuer");
        if (issuer.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> clientId = settings.optional("automatix.oidc.client-id");
        String audience = settings.optional("automatix.oidc.audience")
                .or(() -> clientId)
                .orElseThrow(() -> new IllegalStateException("automatix.oidc.issuer is set but neither"
                        + " automatix.oidc.audience nor automatix.oidc.client-id: set the audience the"
                        + " router's tokens carry (the client id in Keycloak with an audience mapper)"));
        return Optional.of(new OidcSettings(
                issuer.get(),
                audience,
                settings.optional("automatix.oidc.jwks-uri").map(u -> uri("automatix.oidc.jwks-uri", u)),
                settings.optional("automatix.oidc.user-claim").orElse("preferred_username"),
                settings.optional("automatix.oidc.groups-claim").orElse("groups"),
                roleMap(settings.optional("automatix.oidc.role-map").orElse("")),
                clientId,
                settings.optional("automatix.oidc.client-secret"),
                settings.optional("automatix.oidc.redirect-uri").map(u -> uri("automatix.oidc.redirect-uri", u)),
                settings.optional("automatix.oidc.scopes").orElse("openid profile"),
                Duration.ofSeconds(Integer.parseInt(
                        settings.optional("automatix.oidc.clock-skew-seconds").orElse("30")))));
    }

    /** {@code group-or-role:role, ...}: each value names the role it grants. */
    static Map<String, Role> roleMap(String text) {
        Map<String, Role> map = new LinkedHashMap<>();
        for (String entry : text.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int colon = entry.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("bad setting 'automatix.oidc.role-map': '" + entry.strip()
                        + "' is not group-or-role:role (e.g. automatix-admins:admin, lab-a:scientist)");
            }
            String value = entry.substring(0, colon).strip();
            map.put(value.startsWith("/") ? value.substring(1) : value, Role.named(entry.substring(colon + 1)));
        }
        return Map.copyOf(map);
    }

    /** Whether the web pages may sign in (authorization-code flow). */
    public boolean webSignIn() {
        return clientId.isPresent() && redirectUri.isPresent();
    }

    /** Cookies are Secure when the router is reached over https (its redirect URI says how). */
    public boolean secureCookies() {
        return redirectUri.map(u -> "https".equalsIgnoreCase(u.getScheme())).orElse(false);
    }

    @Override
    public String toString() {
        return "OidcSettings[issuer=" + issuer + ", audience=" + audience + ", clientId=" + clientId.orElse("-")
                + ", clientSecret=" + (clientSecret.isPresent() ? "(set)" : "-") + ", roleMap=" + roleMap + "]";
    }

    /** Where the issuer describes itself (OpenID Connect Discovery 1.0). */
    public URI discoveryUri() {
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        return uri("automatix.oidc.issuer", base + "/.well-known/openid-configuration");
    }

    private static URI uri(String key, String value) {
        try {
            URI uri = URI.create(value);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("not absolute");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    "setting '" + key + "' must be an absolute http(s) URL, not '" + value + "'");
        }
    }
}
