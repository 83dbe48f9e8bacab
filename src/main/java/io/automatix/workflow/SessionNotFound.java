package io.automatix.workflow;

/** No such session, or none the caller may use: the two are not told apart, so names do not leak. */
public final class SessionNotFound extends RuntimeException {

    public SessionNotFound(String owner, String name) {
        super("no session '" + name + "' of " + owner + " that you may use");
    }
}
