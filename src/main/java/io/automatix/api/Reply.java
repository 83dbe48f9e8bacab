package io.automatix.api;

/** An answer whose HTTP status is not 200 OK. */
public record Reply(int status, Object body) {

    public static Reply created(Object body) {
        return new Reply(201, body);
    }

    public static Reply accepted(Object body) {
        return new Reply(202, body);
    }
}
