package io.automatix.api;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.automatix.user.Expiry;
import io.automatix.user.Role;
import io.automatix.user.Tokens;

/** {@code /api/tokens}: an admin issues, lists and revokes API tokens (routes need role admin). */
public final class TokensApi {

    private final Tokens tokens;

    public TokensApi(Tokens tokens) {
        this.tokens = tokens;
    }

    public Object list(ApiRequest request) {
        return tokens.list();
    }

    /** {user, role, groups, expires, description}: 201 with the token, the only time it is shown. */
    public Reply issue(ApiRequest request) {
        Map<String, Object> f = request.fields();
        if (!(f.get("expires") instanceof String expires)) {
            throw new IllegalArgumentException(
                    "expires: required (30d, 12h, or an ISO date): tokens do not live forever");
        }
        Role role = Role.named(f.get("role") instanceof String r ? r : "");
        Set<String> groups = new LinkedHashSet<>();
        if (f.get("groups") instanceof List<?> list) {
            list.forEach(g -> groups.add(String.valueOf(g)));
        } else if (f.get("groups") instanceof String text) {
            groups.addAll(Tokens.groups(text));
        } else if (f.get("groups") != null) {
            throw new IllegalArgumentException("groups: a list of group names");
        }
        String user = f.get("user") instanceof String u ? u : null;
        String description = f.get("description") instanceof String d ? d : null;
        return Reply.created(
                tokens.issue(request.user(), user, role, groups, Expiry.parse(expires, Instant.now()), description));
    }

    public Object revoke(ApiRequest request) {
        long id;
        try {
            id = Long.parseLong(request.parameter("id"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("id: not a token id (automatix tokens list)");
        }
        if (!tokens.revoke(request.user(), id)) {
            throw new IllegalStateException("token " + id + " is unknown or revoked already");
        }
        return Map.of("id", id, "state", "revoked");
    }
}
