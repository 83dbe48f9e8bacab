package io.automatix.workflow;

/** The request does not fit the session's state (a name in use, a step run in a stopping session, ...). */
public final class SessionConflict extends RuntimeException {

    public SessionConflict(String message) {
        super(message);
    }
}
