package io.automatix.api;

import io.automatix.user.Principal;
import io.automatix.user.Role;

/** An authenticated request whose user's role is below the one its route declares (answered 403). */
public final class Forbidden extends RuntimeException {

    public Forbidden(Principal principal, Role needed, String route) {
        super("this needs role " + needed.stored() + " (" + route + "); user " + principal.name() + " has role "
                + principal.role().stored() + ": ask an admin");
    }

    /** A route that declares no role (group) is refused to everyone: deny by default. */
    public Forbidden(String route) {
        super("route " + route + " declares no role: it is refused until it does (routes/*.camel.yaml, group:)");
    }
}
