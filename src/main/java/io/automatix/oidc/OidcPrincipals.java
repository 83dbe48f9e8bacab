package io.automatix.oidc;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.nimbusds.jwt.JWTClaimsSet;
import io.automatix.user.Principal;
import io.automatix.user.Role;

/**
 * Who a valid token is: the user from {@code automatix.oidc.user-claim} (else {@code sub}), the
 * groups from {@code automatix.oidc.groups-claim} (Keycloak's group mapper writes "/lab-a": the
 * leading slash goes), and the highest role that {@code automatix.oidc.role-map} grants to any
 * of those groups or to the Keycloak realm roles ({@code realm_access.roles}). A token that maps
 * to no role is refused, naming what it carried.
 */
public final class OidcPrincipals {

    private final OidcSettings settings;

    public OidcPrincipals(OidcSettings settings) {
        this.settings = settings;
    }

    public Principal principal(JWTClaimsSet claims) {
        String user = text(claims.getClaim(settings.userClaim()))
                .or(() -> Optional.ofNullable(claims.getSubject()))
                .orElseThrow(() -> new TokenRefused("the token has neither the claim '" + settings.userClaim()
                        + "' (automatix.oidc.user-claim) nor 'sub': add a mapper for it at the issuer"));
        Set<String> groups = new LinkedHashSet<>();
        for (String group : values(claims.getClaim(settings.groupsClaim()))) {
            groups.add(group.startsWith("/") ? group.substring(1) : group);
        }
        List<String> realmRoles =
                claims.getClaim("realm_access") instanceof Map<?, ?> access ? values(access.get("roles")) : List.of();
        Role role = null;
        for (String value : concat(groups, realmRoles)) {
            Role granted = settings.roleMap().get(value);
            if (granted != null && (role == null || granted.covers(role))) {
                role = granted;
            }
        }
        if (role == null) {
            throw new TokenRefused("user '" + user + "' has no role here: its groups (claim '"
                    + settings.groupsClaim() + "') " + groups + " and realm roles " + realmRoles
                    + " match no entry of automatix.oidc.role-map "
                    + settings.roleMap().keySet()
                    + "; ask an admin to add you to one of those groups");
        }
        return new Principal(user, role, groups);
    }

    private static List<String> concat(Collection<String> a, Collection<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static Optional<String> text(Object value) {
        return value instanceof String s && !s.isBlank() ? Optional.of(s) : Optional.empty();
    }

    /** A claim that is a list of strings, or one string; anything else counts as none. */
    private static List<String> values(Object claim) {
        List<String> values = new ArrayList<>();
        if (claim instanceof String s) {
            values.add(s);
        } else if (claim instanceof Collection<?> list) {
            for (Object o : list) {
                if (o instanceof String s) {
                    values.add(s);
                }
            }
        }
        return values;
    }
}
