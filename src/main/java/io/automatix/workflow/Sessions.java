package io.automatix.workflow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.automatix.cluster.Cluster;
import io.automatix.cluster.Clusters;
import io.automatix.user.Principal;
import io.automatix.user.Role;

/**
 * The workflow manager's commands, IOSEA's {@code start}, {@code run}, {@code status},
 * {@code list}, {@code access}, {@code cancel} and {@code stop}, plus {@code share}. Each acts
 * for an authenticated user on a session that user owns or that was shared with them; each only
 * records what is asked (the {@link SessionDriver} does it), so a request never waits on a
 * cluster.
 */
public final class Sessions {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SessionStore store;
    private final WdfParser parser;
    private final WorkflowSettings settings;
    private final Clusters clusters;

    Sessions(SessionStore store, WdfParser parser, WorkflowSettings settings, Clusters clusters) {
        this.store = store;
        this.parser = parser;
        this.settings = settings;
        this.clusters = clusters;
    }

    /**
     * Validates the WDF (a file of workflows/ named by {@code workflow}, or the text in {@code wdf}
     * with the user's file name in {@code file}) with the session's variables, and records the
     * session; its services are set up next.
     */
    public Map<String, Object> start(Principal who, Map<String, Object> request) throws IOException {
        String user = who.name();
        String name = name(request.get("session"), "session");
        Map<String, String> variables = variables(request.get("variables"));
        String file;
        String text;
        String workflow = (String) request.get("workflow");
        if (workflow != null) {
            name(workflow, "workflow");
            Path path = settings.workflows().resolve(workflow + ".yaml");
            if (!Files.isRegularFile(path)) {
                throw new IllegalArgumentException("no workflow '" + workflow + "' in workflows/");
            }
            file = "workflows/" + workflow + ".yaml";
            text = Files.readString(path);
        } else if (request.get("wdf") instanceof String wdf) {
            file = request.get("file") instanceof String f && !f.isBlank() ? f : "wdf";
            text = wdf;
        } else {
            throw new IllegalArgumentException("give the workflow (a name in workflows/) or the wdf (the file's text)");
        }
        String clusterName = request.get("cluster") instanceof String c ? c : settings.defaultCluster();
        Cluster cluster = clusters.get(clusterName)
                .orElseThrow(() -> new IllegalArgumentException("no cluster '" + clusterName + "' is configured"));
        String directory = request.get("directory") instanceof String d ? d : null;
        if (directory != null
                && (!directory.startsWith("/") || directory.contains("/../") || directory.endsWith("/.."))) {
            throw new IllegalArgumentException("directory '" + directory + "' is not an absolute path without '..'");
        }
        Map<String, String> all = new LinkedHashMap<>(variables);
        all.put("SESSION", name);
        Wdf wdf = parser.parse(file, text, all, true);
        check(file, wdf);
        String group = group(who, request.get("group"));
        long id = store.insertSession(
                user, group, name, file, text, variables, cluster.name(), directory, wdf.services());
        return Map.of(
                "session",
                name,
                "owner",
                user,
                "id",
                id,
                "status",
                SessionStatus.STARTING.stored(),
                "workflow",
                wdf.name(),
                "cluster",
                cluster.name());
    }

    /** The session's group: none, or one of the user's groups (an operator may name any). */
    private static String group(Principal who, Object group) {
        try {
            return who.groupToGive(group);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("group: " + e.getMessage());
        }
    }

    /** What the site must offer for the WDF: its services' types and flavors (the parser checked its commands). */
    private void check(String file, Wdf wdf) {
        List<String> errors = new ArrayList<>();
        for (WdfService s : wdf.services()) {
            if (!settings.serviceTypes().contains(s.type())) {
                errors.add(file + ": services." + s.name() + ".type: no provider for type '" + s.type()
                        + "' (automatix.workflow.service-types: " + String.join(", ", settings.serviceTypes()) + ")");
            }
            if (s.flavor() != null && !settings.flavors().contains(s.flavor())) {
                errors.add(file + ": services." + s.name() + ".attributes.flavor: unknown flavor '" + s.flavor()
                        + "' (automatix.workflow.flavors: " + String.join(", ", settings.flavors()) + ")");
            }
        }
        if (!errors.isEmpty()) {
            throw new WdfError(errors);
        }
    }

    /** Asks for a run of the step with its variables: checked now, run by the driver. */
    public Map<String, Object> run(Principal who, Map<String, Object> request) {
        String user = who.name();
        Session session = visible(who, request);
        String step = name(request.get("step"), "step");
        Map<String, String> variables = variables(request.get("variables"));
        Wdf wdf = definition(session, step, variables);
        WdfStep definition = wdf.step(step)
                .orElseThrow(() ->
                        new IllegalArgumentException("workflow " + session.workflow() + " has no step '" + step + "'"));
        long[] row = store.insertStep(user, session, step, variables);
        return Map.of(
                "session",
                session.name(),
                "owner",
                session.owner(),
                "step",
                step,
                "instance",
                row[1],
                "status",
                StepStatus.STARTING.stored());
    }

    /**
     * The session's WDF as the step sees it: session variables, then the step's, then SESSION and
     * STEP. Variables left undefined in this step are errors with their lines.
     */
    Wdf definition(Session session, String step, Map<String, String> stepVariables) {
        Map<String, String> all = new LinkedHashMap<>(session.variables());
        all.putAll(stepVariables);
        all.put("SESSION", session.name());
        Wdf wdf = parser.parse(session.workflow(), session.wdf(), all, true);
        if (!wdf.deferredVariables().getOrDefault(step, Set.of()).isEmpty()) {
            try {
                parser.parse(session.workflow(), session.wdf(), all, false);
            } catch (WdfError e) {
                List<String> mine = e.errors().stream()
                        .filter(m -> m.contains(": steps." + step + ".") || m.contains(": steps." + step + ":"))
                        .toList();
                throw new WdfError(mine.isEmpty() ? e.errors() : mine);
            }
        }
        return wdf;
    }

    /** Terminated steps, running and queued jobs, data movers in progress, active services. */
    public Map<String, Object> status(Principal who, Map<String, Object> request) {
        String user = who.name();
        Session s = visible(who, request);
        List<Map<String, Object>> jobs = store.sessionJobs(s.id());
        List<Map<String, Object>> movements = store.sessionMovements(s.id());
        List<Map<String, Object>> steps = new ArrayList<>();
        for (Map<String, Object> step : store.stepStatus(s.id())) {
            Map<String, Object> out = new LinkedHashMap<>(step);
            Object id = step.get("id");
            List<Map<String, Object>> stepJobs =
                    jobs.stream().filter(j -> id.equals(j.get("step_id"))).toList();
            Map<String, Long> byState = new LinkedHashMap<>();
            stepJobs.forEach(j -> byState.merge((String) j.get("state"), 1L, Long::sum));
            out.put("jobs_by_state", byState);
            out.put("jobs", stepJobs);
            out.put(
                    "datamovers",
                    movements.stream().filter(m -> id.equals(m.get("step_id"))).toList());
            steps.add(out);
        }
        Map<String, Object> status = new LinkedHashMap<>(summary(s));
        status.put(
                "terminated_steps",
                steps.stream().filter(x -> "stopped".equals(x.get("status"))).toList());
        status.put(
                "active_steps",
                steps.stream().filter(x -> !"stopped".equals(x.get("status"))).toList());
        status.put(
                "running_jobs",
                jobs.stream().filter(j -> "running".equals(j.get("state"))).count());
        status.put(
                "queued_jobs",
                jobs.stream()
                        .filter(j -> List.of("queued", "submitting", "pending").contains(j.get("state")))
                        .count());
        status.put(
                "datamovers_in_progress",
                movements.stream()
                        .filter(m -> "running".equals(m.get("status")))
                        .toList());
        status.put("services", store.services(s.id()));
        return status;
    }

    /**
     * The user's live sessions, those shared with them by name and their groups' ones; an operator's
     * or admin's: every live session.
     */
    public List<Map<String, Object>> list(Principal who) {
        return store.list(who.name(), String.join(",", who.groups()), who.role().covers(Role.OPERATOR)).stream()
                .map(Sessions::summary)
                .toList();
    }

    /** How to reach the session's services, and the interactive allocation command where there is one. */
    public Map<String, Object> access(Principal who, Map<String, Object> request) {
        String user = who.name();
        Session s = visible(who, request);
        Cluster cluster = clusters.get(s.cluster()).orElseThrow();
        Map<String, Object> access = new LinkedHashMap<>(summary(s));
        List<Map<String, Object>> services = new ArrayList<>();
        StringBuilder exports = new StringBuilder();
        for (SessionStore.ServiceRow service : store.services(s.id())) {
            if (service.status() == ServiceStatus.ALLOCATED) {
                Map<String, Object> c = new LinkedHashMap<>(service.connection());
                c.put("name", service.name());
                c.put("type", service.type());
                services.add(c);
                exports.append(" ")
                        .append(SessionDriver.serviceVariable(service.name()))
                        .append('=')
                        .append(c.get("path"));
            }
        }
        access.put("services", services);
        if (cluster.scheduler().equals("slurm")) {
            String partition =
                    settings.interactivePartition().isBlank() ? "" : " --partition=" + settings.interactivePartition();
            String salloc = "salloc" + partition + " --job-name=" + s.jobName("access", 1);
            access.put(
                    "interactive",
                    cluster.remote()
                            ? "ssh -t " + cluster.ssh() + " env" + exports + " " + salloc
                            : "env" + exports + " " + salloc);
        }
        return access;
    }

    /** Cancels a running step (all live steps without one): its jobs are cancelled, its data movers stopped. */
    public Map<String, Object> cancel(Principal who, Map<String, Object> request) {
        String user = who.name();
        Session s = visible(who, request);
        String step = request.get("step") == null ? null : name(request.get("step"), "step");
        int n = store.requestCancel(user, s.id(), step);
        if (n == 0) {
            throw new SessionConflict(
                    step == null
                            ? "session '" + s.name() + "' has no live step"
                            : "step '" + step + "' of session '" + s.name() + "' is not live");
        }
        return Map.of("session", s.name(), "owner", s.owner(), "cancelling", n);
    }

    /** Stops the session once its steps have ended (at once, cancelling them, when forced); then its services go. */
    public Map<String, Object> stop(Principal who, Map<String, Object> request) {
        String user = who.name();
        Session s = visible(who, request);
        boolean force = Boolean.TRUE.equals(request.get("force"));
        if (!store.requestStop(user, s.id(), force)) {
            throw new SessionConflict(
                    "session '" + s.name() + "' is " + s.status().stored());
        }
        return Map.of(
                "session", s.name(), "owner", s.owner(), "status", SessionStatus.STOPPING.stored(), "force", force);
    }

    /** The owner shares the session with named users and/or a token (returned once, kept as a hash). */
    public Map<String, Object> share(Principal who, Map<String, Object> request) {
        String user = who.name();
        String name = name(request.get("session"), "session");
        Session s = store.find(user, name).filter(Session::live).orElseThrow(() -> new SessionNotFound(user, name));
        List<String> users = new ArrayList<>();
        if (request.get("users") instanceof List<?> list) {
            for (Object u : list) {
                users.add(name(u, "users"));
            }
        }
        String token =
                Boolean.TRUE.equals(request.get("token")) ? HexFormat.of().formatHex(RANDOM.generateSeed(24)) : null;
        store.share(user, s.id(), users, token == null ? null : sha256(token));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("session", s.name());
        out.put("owner", s.owner());
        out.put("shared_with", users);
        if (token != null) {
            out.put("token", token);
        }
        return out;
    }

    /**
     * The session named in the request ({@code session}, with {@code owner} for someone else's),
     * if this user may use it: they own it (or are an operator or in its group), it was shared with
     * them, or they hold its token.
     */
    private Session visible(Principal who, Map<String, Object> request) {
        String user = who.name();
        String name = name(request.get("session"), "session");
        String owner = request.get("owner") instanceof String o && !o.isBlank() ? o : user;
        Session s = store.find(owner, name).orElseThrow(() -> new SessionNotFound(owner, name));
        boolean allowed = who.owns(s.owner(), store.group(s.id()))
                || s.sharedWith().contains(user)
                || (request.get("share_token") instanceof String t
                        && s.shareTokenSha256() != null
                        && MessageDigest.isEqual(
                                sha256(t).getBytes(StandardCharsets.UTF_8),
                                s.shareTokenSha256().getBytes(StandardCharsets.UTF_8)));
        if (!allowed) {
            throw new SessionNotFound(owner, name);
        }
        return s;
    }

    private static Map<String, Object> summary(Session s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("session", s.name());
        m.put("owner", s.owner());
        m.put("id", s.id());
        m.put("status", s.status().stored());
        m.put("workflow", s.workflow());
        m.put("cluster", s.cluster());
        m.put("variables", s.variables());
        m.put("shared_with", s.sharedWith());
        m.put("created_at", s.createdAt().toString());
        if (s.lastError() != null) {
            m.put("error", s.lastError());
        }
        return m;
    }

    private static String name(Object value, String field) {
        if (!(value instanceof String s) || !NAME.matcher(s).matches()) {
            throw new IllegalArgumentException(
                    field + ": " + (value == null ? "missing" : "'" + value + "' is not a valid name"));
        }
        return s;
    }

    private static Map<String, String> variables(Object value) {
        Map<String, String> variables = new LinkedHashMap<>();
        if (value == null) {
            return variables;
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("variables: expected an object of NAME: value");
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (!VARIABLE.matcher(key).matches() || key.equals("SESSION") || key.equals("STEP")) {
                throw new IllegalArgumentException("variables: '" + key + "' is not a variable name one may set");
            }
            if (!(e.getValue() instanceof String
                    || e.getValue() instanceof Number
                    || e.getValue() instanceof Boolean)) {
                throw new IllegalArgumentException("variables." + key + ": expected a single value");
            }
            variables.put(key, String.valueOf(e.getValue()));
        }
        return variables;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
