package io.automatix;

/** The router will not start, for a reason a person must act on; its message says what to do. */
final class RefusedToStart extends RuntimeException {

    RefusedToStart(String message) {
        super(message);
    }
}
