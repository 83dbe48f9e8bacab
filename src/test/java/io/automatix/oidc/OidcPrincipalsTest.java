package io.automatix.oidc;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.nimbusds.jwt.JWTClaimsSet;
import io.automatix.user.Role;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OidcPrincipalsTest {

    private static OidcPrincipals mapping(String roleMap, String userClaim) {
        return new OidcPrincipals(new OidcSettings(
                "https://idp/realms/a",
                "automatix",
                Optional.empty(),
                userClaim,
                "groups",
                OidcSettings.roleMap(roleMap),
                Optional.empty(),
                Optional.of("secret"),
                Optional.of(URI.create("https://router/auth/callback")),
                "openid",
                Duration.ofSeconds(30)));
    }

    private static final OidcPrincipals KEYCLOAK =
            mapping("automatix-admins:admin, /lab-a:scientist, automatix-operators:operator", "preferred_username");

    @Test
    void keycloakGroupPathsLoseTheirSlashAndTheHighestRoleWins() {
        var p = KEYCLOAK.principal(new JWTClaimsSet.Builder()
                .subject("u-1")
                .claim("preferred_username", "erin")
                .claim("groups", List.of("/lab-a", "/automatix-admins"))
                .build());
        assertThat(p.name()).isEqualTo("erin");
        assertThat(p.role()).isEqualTo(Role.ADMIN);
        assertThat(p.groups()).containsExactlyInAnyOrder("lab-a", "automatix-admins");
    }

    @Test
    void realmRolesCountAndSubIsTheFallbackUser() {
        var p = KEYCLOAK.principal(new JWTClaimsSet.Builder()
                .subject("u-2")
                .claim("realm_access", Map.of("roles", List.of("offline_access", "automatix-operators")))
                .build());
        assertThat(p.name()).isEqualTo("u-2");
        assertThat(p.role()).isEqualTo(Role.OPERATOR);
        assertThat(p.groups()).isEmpty();
    }

    @Test
    void aSingleStringGroupClaimCountsAndAnOtherUserClaimIsRead() {
        var p = mapping("lab-a:scientist", "email")
                .principal(new JWTClaimsSet.Builder()
                        .subject("u-3")
                        .claim("email", "alice@example.org")
                        .claim("groups", "lab-a")
                        .build());
        assertThat(p.name()).isEqualTo("alice@example.org");
        assertThat(p.role()).isEqualTo(Role.SCIENTIST);
    }

    @Test
    void noMatchingGroupOrRoleIsRefusedNamingTheClaimAndValues() {
        assertThatThrownBy(() -> KEYCLOAK.principal(new JWTClaimsSet.Builder()
                        .subject("u-4")
                        .claim("preferred_username", "carol")
                        .claim("groups", List.of("/lab-z"))
                        .build()))
                .isInstanceOf(TokenRefused.class)
                .hasMessageContaining("carol")
                .hasMessageContaining("'groups'")
                .hasMessageContaining("lab-z")
                .hasMessageContaining("automatix.oidc.role-map");
    }

    @Test
    void aBadRoleMapSaysWhatIsExpected() {
        assertThatThrownBy(() -> OidcSettings.roleMap("lab-a")).hasMessageContaining("group-or-role:role");
        assertThatThrownBy(() -> OidcSettings.roleMap("lab-a:boss")).hasMessageContaining("unknown role 'boss'");
    }

    @Test
    void theSettingsNeverPrintTheSecretAndOnlyJwtShapedTokensGoToTheVerifier() {
        assertThat(KEYCLOAK.toString()).doesNotContain("secret");
        assertThat(mappingSettings().toString()).doesNotContain("=secret").contains("clientSecret=(set)");
        assertThat(OidcTokens.looksLikeJwt("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"))
                .isTrue();
        assertThat(OidcTokens.looksLikeJwt("0123456789abcdef0123456789abcdef")).isFalse();
        assertThat(WebSignIn.challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
                .isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"); // RFC 7636 appendix B
    }

    private static OidcSettings mappingSettings() {
        return new OidcSettings(
                "https://idp",
                "a",
                Optional.empty(),
                "sub",
                "groups",
                Map.of(),
                Optional.of("c"),
                Optional.of("secret"),
                Optional.empty(),
                "openid",
                Duration.ZERO);
    }
}
