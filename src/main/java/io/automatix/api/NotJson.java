package io.automatix.api;

/** A request body that does not say it is JSON (answered 415). */
public final class NotJson extends RuntimeException {

    public NotJson() {
        super("send JSON (Content-Type: application/json)");
    }
}
