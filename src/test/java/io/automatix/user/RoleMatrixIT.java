package io.automatix.user;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.automatix.api.ApiUsers;
import io.automatix.api.RouteRoles;
import io.automatix.testing.RunningRouter;
import io.automatix.testing.RunsDb;
import org.apache.camel.Route;
import org.apache.camel.component.rest.RestEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every API route x every role x owner, group member and other user, against the rules in
 * {@link #RULES}: a route of the running router that has no rule here fails the build, and so does
 * a route whose declared role differs from its rule. Allowed: any answer but 401, 403, 404 and 500
 * (the requests are made to fail harmlessly after the checks, e.g. an unknown cluster); a role too
 * low: 403; not the owner of an owned thing: 404.
 */
class RoleMatrixIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Whose thing a route acts on. */
    enum Owned {
        NOTHING, // not an owned thing (lists are filtered instead: see listsShowOnlyWhatTheUserMaySee)
        RUN, // run rm_run: alice's, group lab
        SESSION, // session rm_session: alice's, group lab
        SESSION_OWNER // only the owner (sharing is the owner's)
    }

    record Rule(Role role, Owned owned, String method, String path, String body) {}

    /** The rules: route id -> the role it needs, what it owns, and a request that fails harmlessly after the checks. */
    static final Map<String, Rule> RULES = new TreeMap<>(Map.ofEntries(
            Map.entry("api-runs-list", new Rule(Role.VIEWER, Owned.NOTHING, "GET", "/api/runs", null)),
            Map.entry("api-run", new Rule(Role.VIEWER, Owned.RUN, "GET", "/api/runs/rm_run", null)),
            Map.entry("api-jobs", new Rule(Role.VIEWER, Owned.RUN, "GET", "/api/jobs?run=rm_run", null)),
            Map.entry(
                    "api-supervisions", new Rule(Role.VIEWER, Owned.RUN, "GET", "/api/supervisions?run=rm_run", null)),
            Map.entry("api-bundles", new Rule(Role.VIEWER, Owned.NOTHING, "GET", "/api/bundles", null)),
            Map.entry("api-transfers", new Rule(Role.VIEWER, Owned.NOTHING, "GET", "/api/transfers", null)),
            Map.entry("api-clusters", new Rule(Role.VIEWER, Owned.NOTHING, "GET", "/api/clusters", null)),
            Map.entry(
                    "api-cluster-doctor",
                    new Rule(Role.OPERATOR, Owned.NOTHING, "GET", "/api/clusters/nope/doctor", null)),
            Map.entry("api-openapi", new Rule(Role.VIEWER, Owned.NOTHING, "GET", "/api/openapi.json", null)),
            Map.entry(
                    "api-cluster-login",
                    new Rule(Role.OPERATOR, Owned.NOTHING, "GET", "/api/clusters/nope/login", null)),
            Map.entry(
                    "api-runs",
                    new Rule(Role.SCIENTIST, Owned.NOTHING, "POST", "/api/runs", "{\"name\":\"rm_new_%s\"}")),
            Map.entry(
                    "api-run-reprocess",
                    new Rule(Role.SCIENTIST, Owned.RUN, "POST", "/api/runs/rm_run/reprocess", "{}")),
            Map.entry("api-run-cancel", new Rule(Role.SCIENTIST, Owned.RUN, "POST", "/api/runs/rm_run/cancel", "{}")),
            Map.entry("api-run-restore", new Rule(Role.OPERATOR, Owned.RUN, "POST", "/api/runs/rm_run/restore", "{}")),
            Map.entry(
                    "api-once",
                    new Rule(Role.OPERATOR, Owned.NOTHING, "POST", "/api/actions/once", "{\"dry_run\":true}")),
            Map.entry(
                    "api-cluster-login-relay",
                    new Rule(Role.OPERATOR, Owned.NOTHING, "POST", "/api/clusters/nope/login", "{}")),
            Map.entry(
                    "api-cluster-login-answer",
                    new Rule(Role.OPERATOR, Owned.NOTHING, "POST", "/api/clusters/nope/login/answer", "{}")),
            Map.entry(
                    "api-cluster-logout",
                    new Rule(Role.OPERATOR, Owned.NOTHING, "POST", "/api/clusters/nope/logout", "{}")),
            Map.entry("api-status", new Rule(Role.VIEWER, Owned.NOTHING, "GET", "/api/status", null)),
            Map.entry("api-sessions", new Rule(Role.VIEWER, Owned.NOTHING, "GET", "/api/sessions", null)),
            Map.entry(
                    "api-session-status",
                    new Rule(Role.VIEWER, Owned.SESSION, "GET", "/api/sessions/rm_session?owner=alice", null)),
            Map.entry(
                    "api-session-access",
                    new Rule(Role.VIEWER, Owned.SESSION, "GET", "/api/sessions/rm_session/access?owner=alice", null)),
            Map.entry(
                    "api-session-start",
                    new Rule(Role.SCIENTIST, Owned.NOTHING, "POST", "/api/sessions", "{\"workflow\":\"no_such\"}")),
            Map.entry(
                    "api-session-run",
                    new Rule(
                            Role.SCIENTIST,
                            Owned.SESSION,
                            "POST",
                            "/api/sessions/rm_session/steps/no_such?owner=alice",
                            "{}")),
            Map.entry(
                    "api-session-cancel",
                    new Rule(
                            Role.SCIENTIST,
                            Owned.SESSION,
                            "POST",
                            "/api/sessions/rm_session/cancel?owner=alice",
                            "{\"step\":\"no_such\"}")),
            Map.entry(
                    "api-session-stop",
                    new Rule(Role.SCIENTIST, Owned.SESSION, "POST", "/api/sessions/rm_session/stop?owner=alice", "{}")),
            Map.entry(
                    "api-session-share",
                    new Rule(
                            Role.SCIENTIST,
                            Owned.SESSION_OWNER,
                            "POST",
                            "/api/sessions/rm_session/share",
                            "{\"users\":[\"zed\"]}")),
            Map.entry("api-tokens", new Rule(Role.ADMIN, Owned.NOTHING, "GET", "/api/tokens", null)),
            Map.entry(
                    "api-token-issue", new Rule(Role.ADMIN, Owned.NOTHING, "POST", "/api/tokens", "{\"user\":\"x\"}")),
            Map.entry(
                    "api-token-revoke",
                    new Rule(Role.ADMIN, Owned.NOTHING, "POST", "/api/tokens/999999/revoke", "{}"))));

    /** How a user stands to alice's run and session. */
    enum Relation {
        OWNER,
        GROUP,
        OTHER
    }

    record User(String name, Role role, String groups, Relation relation) {
        String token() {
            return "tok-" + name;
        }
    }

    static final List<User> USERS = List.of(
            new User("root", Role.ADMIN, "", Relation.OTHER),
            new User("oper", Role.OPERATOR, "", Relation.OTHER),
            new User("alice", Role.SCIENTIST, "lab", Relation.OWNER),
            new User("carol", Role.SCIENTIST, "lab", Relation.GROUP),
            new User("dave", Role.SCIENTIST, "other", Relation.OTHER),
            new User("vera", Role.VIEWER, "lab", Relation.GROUP),
            new User("victor", Role.VIEWER, "", Relation.OTHER));

    private static RunningRouter router;
    private static RunsDb db;

    @BeforeAll
    static void start() throws Exception {
        List<String> users = new ArrayList<>();
        for (User u : USERS) {
            users.add(
                    u.name() + ":" + ApiUsers.sha256(u.token()) + ":" + u.role().stored() + ":" + u.groups());
        }
        router = RunningRouter.builder()
                .property("automatix.api.users", String.join(",", users))
                .start();
        db = new RunsDb(router.database());
        // alice's run in group lab, offered by her; her session in group lab
        HttpResponse<String> offered =
                send(USERS.get(2), "POST", "/api/runs", "{\"name\":\"rm_run\",\"group\":\"lab\"}");
        assertThat(offered.statusCode()).as(offered.body()).isEqualTo(201);
        db.update(
                "INSERT INTO workflow_sessions (name, owner, owner_group, workflow_file, wdf, variables, cluster, status)"
                        + " VALUES ('rm_session', 'alice', 'lab', 'wdf', 'not: [a valid wdf', '{}', 'local', 'active')");
    }

    @AfterAll
    static void stop() throws Exception {
        if (router != null) {
            router.close();
        }
    }

    @Test
    void everyApiRouteHasARuleAndDeclaresItsRole() {
        Map<String, Role> declared = new TreeMap<>();
        for (Route r : router.context().getRoutes()) {
            if (r.getEndpoint() instanceof RestEndpoint) {
                declared.put(r.getRouteId(), RouteRoles.needed(r).orElse(null));
            }
        }
        Map<String, Role> ruled = new TreeMap<>();
        RULES.forEach((id, rule) -> ruled.put(id, rule.role()));
        assertThat(declared)
                .as("the routes' declared roles against the rules of this test")
                .isEqualTo(ruled);
    }

    @Test
    void everyRouteTimesEveryRoleAndRelationAnswersAsItsRuleSays() throws Exception {
        Map<String, String> wrong = new LinkedHashMap<>();
        // share before stop: stopping ends the session for what follows (stop stays allowed: 409, not 404)
        List<String> order = new ArrayList<>(RULES.keySet());
        order.remove("api-session-stop");
        order.add("api-session-stop");
        for (String id : order) {
            Rule rule = RULES.get(id);
            for (User u : USERS) {
                String body = rule.body() == null ? null : rule.body().replace("%s", u.name());
                HttpResponse<String> r = send(u, rule.method(), rule.path(), body);
                String expected = expected(rule, u);
                boolean ok = switch (expected) {
                    case "403" ->
                        r.statusCode() == 403
                                && r.body().contains("needs role " + rule.role().stored());
                    case "404" -> r.statusCode() == 404;
                    default -> !List.of(401, 403, 404, 500).contains(r.statusCode());
                };
                if (!ok) {
                    wrong.put(
                            id + " as " + u.name() + " (" + u.role().stored() + ", " + u.relation() + ")",
                            "expected " + expected + ", got " + r.statusCode() + " " + r.body());
                }
            }
        }
        assertThat(wrong).as("answers against the rules").isEmpty();
    }

    @Test
    void listsShowOnlyWhatTheUserMaySee() throws Exception {
        for (User u : USERS) {
            boolean sees = u.relation() != Relation.OTHER || u.role().covers(Role.OPERATOR);
            JsonNode runs = JSON.readTree(send(u, "GET", "/api/runs", null).body());
            assertThat(runs.findValuesAsText("name").contains("rm_run"))
                    .as("%s sees rm_run in /api/runs", u.name())
                    .isEqualTo(sees);
            JsonNode sessions =
                    JSON.readTree(send(u, "GET", "/api/sessions", null).body());
            JsonNode status = JSON.readTree(send(u, "GET", "/api/status", null).body());
            assertThat(status.path("viewer").path("role").asText())
                    .isEqualTo(u.role().stored());
            long live = db.column("SELECT name FROM workflow_sessions WHERE status = 'active'")
                    .size();
            if (live > 0) {
                assertThat(sessions.findValuesAsText("session").contains("rm_session"))
                        .as("%s sees rm_session in /api/sessions", u.name())
                        .isEqualTo(sees);
                assertThat(status.path("sessions").findValuesAsText("name").contains("rm_session"))
                        .as("%s sees rm_session on the status page", u.name())
                        .isEqualTo(sees);
            }
            assertThat(status.path("runs").path("total").asLong())
                    .as("%s's run count on the status page", u.name())
                    .isEqualTo(runs.size());
        }
    }

    @Test
    void aRunOfferedIsTheUsersAndAGroupMustBeTheirs() throws Exception {
        User dave = USERS.get(4);
        assertThat(send(dave, "POST", "/api/runs", "{\"name\":\"rm_dave\",\"group\":\"lab\"}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(send(dave, "POST", "/api/runs", "{\"name\":\"rm_dave\",\"group\":\"other\"}")
                        .statusCode())
                .isEqualTo(201);
        assertThat(db.value("SELECT owner || ' ' || owner_group FROM runs WHERE name = 'rm_dave'"))
                .isEqualTo("dave other");
        // a run the acquisition system inserts belongs to automatix.runs.default-owner
        db.update("INSERT INTO runs (name, source_path) VALUES ('rm_acquired', '/data/rm_acquired')");
        JsonNode run = JSON.readTree(
                send(USERS.get(1), "GET", "/api/runs/rm_acquired", null).body());
        assertThat(run.path("owner").asText()).isEqualTo("acquisition");
        assertThat(send(USERS.get(2), "GET", "/api/runs/rm_acquired", null).statusCode())
                .isEqualTo(404);
    }

    private static String expected(Rule rule, User u) {
        if (!u.role().covers(rule.role())) {
            return "403";
        }
        return switch (rule.owned()) {
            case NOTHING -> "allowed";
            case RUN, SESSION -> u.relation() != Relation.OTHER || u.role().covers(Role.OPERATOR) ? "allowed" : "404";
            case SESSION_OWNER -> u.relation() == Relation.OWNER ? "allowed" : "404";
        };
    }

    private static HttpResponse<String> send(User u, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(router.url(path)))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + u.token())
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
