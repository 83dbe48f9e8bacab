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

    /**
     * The group to give what this principal makes (a run it offers, a session it starts): none, or
     * one of its groups; an operator may name any.
     *
     * @throws IllegalArgumentException saying why, when it is not a group name or not one of theirs
     */
    public String groupToGive(Object group) {
        if (group == null) {
            return null;
        }
        if (!(group instanceof String g) || !Tokens.GROUP.matcher(g).matches()) {
            throw new IllegalArgumentException("a group name (letters, digits, . _ -)");
        }
        if (!role.covers(Role.OPERATOR) && !groups.contains(g)) {
            throw new IllegalArgumentException("user " + name + " is not in group " + g + ": use one of " + groups);
        }
        return g;
    }
}
