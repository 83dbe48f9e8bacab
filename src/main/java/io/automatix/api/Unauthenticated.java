package io.automatix.api;

/** A request without a valid token in its Authorization header (answered 401). */
public final class Unauthenticated extends RuntimeException {

    public Unauthenticated() {
        super("a valid token is required (Authorization: Bearer <token>)");
    }
}
