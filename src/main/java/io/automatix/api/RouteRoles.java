package io.automatix.api;

import java.util.Optional;

import io.automatix.user.Role;
import org.apache.camel.Route;

/**
 * The role each API route needs, as its route declares it in YAML with Camel's route
 * {@code group} ({@code group: viewer}; the YAML DSL of Camel 4.17 has no route properties). The
 * group is also what JMX and Hawtio show routes by, so an operator sees which routes need what. A
 * route with no group, or one that is not a role, needs a role no one has: deny by default.
 */
public final class RouteRoles {

    private RouteRoles() {}

    public static Optional<Role> needed(Route route) {
        if (route == null || route.getGroup() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Role.named(route.getGroup()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
