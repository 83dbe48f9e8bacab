package io.automatix.api;

import java.io.IOException;

import io.automatix.workflow.Sessions;

/**
 * {@code /api/sessions}: workflow sessions started, run step by step, shared and stopped. A
 * session is found by its owner (the user, or {@code ?owner=} with a share) and name.
 */
public final class SessionsApi {

    private final Sessions sessions;

    public SessionsApi(Sessions sessions) {
        this.sessions = sessions;
    }

    public Object list(ApiRequest request) {
        return sessions.list(request.principal());
    }

    public Reply start(ApiRequest request) throws IOException {
        return Reply.created(sessions.start(request.principal(), request.fields()));
    }

    public Object status(ApiRequest request) {
        return sessions.status(request.principal(), request.fields());
    }

    public Object access(ApiRequest request) {
        return sessions.access(request.principal(), request.fields());
    }

    public Reply run(ApiRequest request) {
        return Reply.accepted(sessions.run(request.principal(), request.fields()));
    }

    public Reply cancel(ApiRequest request) {
        return Reply.accepted(sessions.cancel(request.principal(), request.fields()));
    }

    public Reply stop(ApiRequest request) {
        return Reply.accepted(sessions.stop(request.principal(), request.fields()));
    }

    public Object share(ApiRequest request) {
        return sessions.share(request.principal(), request.fields());
    }
}
