package io.automatix.api;

/** A request without a valid token in its Authorization header (answered 401). */
public class Unauthenticated extends RuntimeException {

    public Unauthenticated() {
        super("a valid token is required (Authorization: Bearer <token>)");
    }

    protected Unauthenticated(String message) {
        super(message);
    }

    /** A token that was issued but is revoked or past its expiry; whose it was is not said. */
    public static Unauthenticated refused() {
        return new Unauthenticated("token expired or revoked: ask an admin for a new one");
    }
}
