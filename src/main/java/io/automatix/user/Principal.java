package io.automatix.user;

import java.util.Set;

/**
 * Who a request acts as: a user name, its role and its groups, as a token (stored hashed in the
 * runs database) or an OIDC bearer token established them. Every action is recorded as its name.
 */
public record Principal(String name, Role role, Set<String> groups) {

    public Principal {
        groups = Set.copyOf(groups);
    }

    /** Whether this principal may see and act on something owned by {@code owner} in {@code group}. */
    public boolean owns(String owner, String group) {
        return role.covers(Role.OPERATOR) || name.equals(owner) || (group != null && groups.contains(group));
    }
}
