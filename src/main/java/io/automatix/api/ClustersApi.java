package io.automatix.api;

import java.io.IOException;
import java.util.Map;

import io.automatix.cluster.ClusterLogins;

/**
 * {@code /api/clusters/{name}/login}: a cluster's login state and the command a person runs to
 * open its connection ({@code automatix login}), a login relayed through the router (its prompts
 * shown, the person's answers handed over once and never logged), and logout.
 */
public final class ClustersApi {

    private final ClusterLogins logins;

    public ClustersApi(ClusterLogins logins) {
        this.logins = logins;
    }

    public Object login(ApiRequest request) {
        return logins.status(request.parameter("name"));
    }

    public Object relay(ApiRequest request) throws IOException {
        return logins.start(request.parameter("name"));
    }

    public Object answer(ApiRequest request) throws IOException {
        Map<String, Object> fields = request.fields();
        if (!(fields.get("answer") instanceof String answer)) {
            throw new IllegalArgumentException("answer: a string is required");
        }
        return logins.answer(request.parameter("name"), answer);
    }

    public Object logout(ApiRequest request) throws IOException {
        return logins.logout(request.parameter("name"));
    }
}
