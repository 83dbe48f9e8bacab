package io.automatix.user;

import java.util.Locale;

/**
 * What a user may do, from least to most: each role may do all that the roles before it may.
 * {@code viewer} reads; {@code scientist} also offers runs and starts sessions, and acts on its own
 * and its groups' ones; {@code operator} acts on every run and session; {@code admin} also manages
 * configuration and tokens.
 */
public enum Role {
    VIEWER,
    SCIENTIST,
    OPERATOR,
    ADMIN;

    /** Whether this role may do what {@code needed} may. */
    public boolean covers(Role needed) {
        return compareTo(needed) >= 0;
    }

    public String stored() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role named (case-insensitive), or an error that lists the roles. */
    public static Role named(String name) {
        for (Role r : values()) {
            if (r.stored().equalsIgnoreCase(name == null ? "" : name.strip())) {
                return r;
            }
        }
        throw new IllegalArgumentException(
                "unknown role '" + name + "': use one of admin, operator, scientist, viewer");
    }
}
