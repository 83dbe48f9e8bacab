package io.automatix.api;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.automatix.cluster.Cluster;
import io.automatix.cluster.ClusterDoctor;
import io.automatix.cluster.ClusterLogins;
import io.automatix.cluster.Clusters;

/**
 * {@code /api/clusters}: the configured clusters; {@code automatix doctor}'s checks of one; its
 * login state and the command a person runs to open its connection ({@code automatix login}), a
 * login relayed through the router (its prompts shown, the person's answers handed over once and
 * never logged), and logout.
 */
public final class ClustersApi {

    private final Clusters clusters;
    private final ClusterDoctor doctor;
    private final ClusterLogins logins;

    public ClustersApi(Clusters clusters, ClusterDoctor doctor, ClusterLogins logins) {
        this.clusters = clusters;
        this.doctor = doctor;
        this.logins = logins;
    }

    public Object list(ApiRequest request) {
        return clusters.all().stream().map(ClustersApi::describe).toList();
    }

    /** Runs every check of the cluster now (a test job included, so it may take a while). */
    public Object doctor(ApiRequest request) {
        Cluster cluster = cluster(request);
        List<ClusterDoctor.Finding> findings = doctor.examine(cluster);
        Map<String, Object> answer = describe(cluster);
        answer.put("ok", findings.stream().noneMatch(f -> f.outcome() == ClusterDoctor.Outcome.FAIL));
        answer.put(
                "checks",
                findings.stream()
                        .map(f -> Map.of(
                                "check",
                                f.check(),
                                "outcome",
                                f.outcome().name().toLowerCase(),
                                "detail",
                                f.detail()))
                        .toList());
        return answer;
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

    private Cluster cluster(ApiRequest request) {
        String name = request.parameter("name");
        return clusters.get(name)
                .orElseThrow(() -> new IllegalArgumentException("no cluster '" + name + "': the configured ones are "
                        + clusters.all().stream().map(Cluster::name).toList()));
    }

    private static Map<String, Object> describe(Cluster cluster) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", cluster.name());
        c.put("scheduler", cluster.scheduler());
        c.put("host", cluster.remote() ? cluster.ssh().toString() : "this host");
        c.put("transport", cluster.remote() ? cluster.ssh().transport().toString() : "local");
        c.put("scratch", cluster.scratch().toString());
        return c;
    }
}
