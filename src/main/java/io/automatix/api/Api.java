package io.automatix.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.automatix.archive.Archiver;
import io.automatix.db.Rows;
import io.automatix.db.SqlFile;
import io.automatix.db.Transactions;
import io.automatix.process.JobEngine;
import io.automatix.run.InvalidInputException;
import io.automatix.run.RunControl;
import io.automatix.run.RunIngest;
import io.automatix.run.RunNotFoundException;
import io.automatix.transfer.TransferRun;
import io.automatix.transfer.Transfers;
import io.automatix.workflow.SessionConflict;
import io.automatix.workflow.SessionNotFound;
import io.automatix.workflow.Sessions;
import io.automatix.workflow.WdfError;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API under {@code /api} (described by {@code /api/openapi.json}): every request is
 * authenticated by its token and acts as that user, so the events its changes cause name them.
 * Answers are JSON: 401 without a valid token, 400 for bad input (a WDF's errors listed with file,
 * line and field), 404 for what does not exist or is not yours, 409 for a request the current
 * state refuses. The routes in routes/api.camel.yaml and routes/workflow.camel.yaml say which
 * path is which action.
 */
public final class Api {

    private static final Logger LOG = LoggerFactory.getLogger(Api.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> SQL = new java.util.concurrent.ConcurrentHashMap<>();
    /** Path and query parameters a request may carry (platform-http gives them as headers). */
    private static final String[] PARAMETERS = {"session", "step", "owner", "name", "status", "state", "run", "limit"};

    private final ApiUsers users;
    private final Sessions sessions;
    private final RunIngest ingest;
    private final RunControl runs;
    private final Transfers transfers;
    private final JobEngine jobs;
    private final Archiver archiver;
    private final Transactions transactions;
    private final StatusReport status;

    public Api(
            ApiUsers users,
            Sessions sessions,
            RunIngest ingest,
            RunControl runs,
            Transfers transfers,
            JobEngine jobs,
            Archiver archiver,
            Transactions transactions) {
        this.status = new StatusReport(transactions, transfers);
        this.users = users;
        this.sessions = sessions;
        this.ingest = ingest;
        this.runs = runs;
        this.transfers = transfers;
        this.jobs = jobs;
        this.archiver = archiver;
        this.transactions = transactions;
    }

    /** @param action what the route's path means, e.g. {@code runs.show}; {@code X|Y} is X for GET and Y otherwise */
    public void handle(Exchange exchange, String action) throws JsonProcessingException {
        var in = exchange.getMessage();
        Object answer;
        int code;
        if (action.contains("|")) {
            String[] pair = action.split("\\|");
            action = "GET".equals(in.getHeader(Exchange.HTTP_METHOD, String.class)) ? pair[0] : pair[1];
        }
        try {
            // credentials come in request headers only: platform-http also gives query parameters as
            // headers, and a token in a URL ends up in logs, histories and Referer headers
            java.util.Set<String> query = queryNames(in.getHeader(Exchange.HTTP_QUERY, String.class));
            if (query.contains("authorization")) {
                throw new Unauthorized();
            }
            String user = users.authenticate(in.getHeader("Authorization", String.class))
                    .orElseThrow(Unauthorized::new);
            byte[] body = in.getBody(byte[].class);
            String type = in.getHeader(Exchange.CONTENT_TYPE, String.class);
            if (body != null && body.length > 0 && (type == null || !type.startsWith("application/json"))) {
                throw new UnsupportedMediaType();
            }
            Map<String, Object> request = action.equals("runs.add") ? new HashMap<>() : body(body);
            for (String param : PARAMETERS) {
                String value = in.getHeader(param, String.class);
                if (value != null) {
                    request.put(param, value);
                }
            }
            request.remove("share_token"); // a share token counts only in its header, never in the body
            String token = query.contains("x-automatix-share-token")
                    ? null
                    : in.getHeader("X-Automatix-Share-Token", String.class);
            if (token != null) {
                request.put("share_token", token);
            }
            answer = act(action, user, request, body);
            if (answer instanceof Created c) { // the run as stored; 201 only when this offer made it
                answer = c.value();
                code = c.created() ? 201 : 200;
            } else {
                code = switch (action) {
                    case "sessions.start" -> 201;
                    case "sessions.run", "sessions.cancel", "sessions.stop" -> 202;
                    default -> 200;
                };
            }
        } catch (UnsupportedMediaType e) {
            code = 415;
            answer = Map.of("error", "send JSON (Content-Type: application/json)");
        } catch (Unauthorized e) {
            code = 401;
            answer = Map.of("error", "a valid token is required (Authorization: Bearer <token>)");
        } catch (WdfError e) {
            code = 400;
            answer = Map.of("error", "the workflow description is not valid", "errors", e.errors());
        } catch (InvalidInputException e) {
            code = 400;
            answer = e.field() == null
                    ? Map.of("error", e.getMessage())
                    : Map.of("error", e.getMessage(), "field", e.field());
        } catch (IllegalArgumentException e) {
            code = 400;
            answer = Map.of("error", e.getMessage());
        } catch (SessionNotFound | RunNotFoundException e) {
            code = 404;
            answer = Map.of("error", e.getMessage());
        } catch (SessionConflict | IllegalStateException e) {
            code = 409;
            answer = Map.of("error", e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.warn("{} failed", action, e);
            code = 500;
            answer = Map.of("error", String.valueOf(e.getMessage()));
        }
        in.removeHeaders("*");
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, code);
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        in.setBody(JSON.writeValueAsString(answer));
    }

    private Object act(String action, String user, Map<String, Object> request, byte[] body) throws IOException {
        return switch (action) {
            case "openapi" -> openapi();
            case "status" -> status.report();
            case "runs.list" ->
                rows("list-runs.sql", Map.of("status", nullable(request.get("status")), "limit", limit(request)));
            case "runs.add" -> {
                var ingested = ingest.offer(body == null ? new byte[0] : body, user);
                yield new Created(ingested.created(), ingested.run());
            }
            case "runs.show" -> {
                String name = (String) request.get("name");
                Map<String, Object> run = new LinkedHashMap<>(JSON.convertValue(ingest.find(name), Map.class));
                run.put("jobs", rows("list-jobs.sql", Map.of("run", name, "state", nullable(null), "limit", 10_000)));
                run.put("events", rows("run-events.sql", Map.of("run", name)));
                yield run;
            }
            case "runs.reprocess" -> {
                String name = ingest.find((String) request.get("name")).name();
                int n = runs.reprocess(user, name);
                if (n == 0) {
                    throw new IllegalStateException(
                            "run " + name + " is not processed or failed: nothing to reprocess");
                }
                yield Map.of("run", name, "jobs", n, "processed_status", "queued");
            }
            case "runs.cancel" -> {
                String name = ingest.find((String) request.get("name")).name();
                int n = runs.cancel(user, name);
                if (n < 0) {
                    throw new IllegalStateException("run " + name + " is not being processed");
                }
                yield Map.of("run", name, "jobs_cancelled", n, "processed_status", "failed");
            }
            case "runs.restore" -> {
                String name = ingest.find((String) request.get("name")).name();
                if (!(request.get("directory") instanceof String dir) || !dir.startsWith("/")) {
                    throw new IllegalArgumentException(
                            "directory: an absolute directory of the router's host is required");
                }
                yield Map.of("run", name, "files", archiver.restore(name, Path.of(dir)), "directory", dir + "/" + name);
            }
            case "jobs.list" ->
                rows(
                        "list-jobs.sql",
                        Map.of(
                                "run",
                                nullable(request.get("run")),
                                "state",
                                nullable(request.get("state")),
                                "limit",
                                limit(request)));
            case "supervisions.list" ->
                rows("list-supervisions.sql", Map.of("run", nullable(request.get("run")), "limit", limit(request)));
            case "bundles.list" -> rows("list-bundles.sql", Map.of("limit", limit(request)));
            case "transfers" -> transfers.status();
            case "actions.once" -> once(user, request);
            case "sessions.start" -> sessions.start(user, request);
            case "sessions.list" -> sessions.list(user);
            case "sessions.status" -> sessions.status(user, request);
            case "sessions.access" -> sessions.access(user, request);
            case "sessions.run" -> sessions.run(user, request);
            case "sessions.cancel" -> sessions.cancel(user, request);
            case "sessions.stop" -> sessions.stop(user, request);
            case "sessions.share" -> sessions.share(user, request);
            default -> throw new IllegalArgumentException("unknown action " + action);
        };
    }

    /**
     * One pass of the flows asked for, now, the Fulliautomatix way (for cron through the CLI):
     * reprocess the named runs, transfer what is due, plan and submit what is ready, poll. With
     * {@code dry_run}, only what would be done.
     */
    private Map<String, Object> once(String user, Map<String, Object> request) {
        boolean dryRun = Boolean.TRUE.equals(request.get("dry_run"));
        Map<String, Object> result = new LinkedHashMap<>();
        if (request.get("reprocess") instanceof List<?> names) {
            Map<String, Object> reprocessed = new LinkedHashMap<>();
            for (Object name : names) {
                String run = ingest.find(String.valueOf(name)).name();
                reprocessed.put(
                        run, dryRun ? "would be reprocessed" : runs.reprocess(user, run) + " job(s) queued again");
            }
            result.put("reprocess", reprocessed);
        }
        if (Boolean.TRUE.equals(request.get("transfer"))) {
            if (dryRun) {
                result.put("transfer", transfers.plan());
            } else {
                List<TransferRun> claimed = transfers.claim();
                claimed.forEach(transfers::transfer);
                result.put("transfer", claimed.stream().map(TransferRun::name).toList());
            }
        }
        if (Boolean.TRUE.equals(request.get("process"))) {
            if (dryRun) {
                result.put(
                        "process", Map.of("ondeck", rows("list-runs.sql", Map.of("status", "ondeck", "limit", 1000))));
            } else {
                int planned = jobs.plan();
                int submitted = jobs.submit();
                jobs.poll();
                result.put("process", Map.of("planned_runs", planned, "submitted_jobs", submitted));
            }
        }
        return result;
    }

    private Object openapi() throws IOException {
        try (InputStream in = Api.class.getResourceAsStream("openapi.json")) {
            return JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private List<Map<String, Object>> rows(String file, Map<String, Object> params) {
        return Rows.readable(transactions
                .jdbc()
                .queryForList(SQL.computeIfAbsent(file, f -> SqlFile.load(Api.class, f)), params));
    }

    /** The names of a raw query string's parameters, decoded and in lower case. */
    private static java.util.Set<String> queryNames(String query) {
        java.util.Set<String> names = new java.util.HashSet<>();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                String name = pair.split("=", 2)[0];
                try {
                    name = java.net.URLDecoder.decode(name, StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    // a malformed escape: keep the name as sent
                }
                names.add(name.strip().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return names;
    }

    private static Object nullable(Object value) {
        return value == null
                ? new org.springframework.jdbc.core.SqlParameterValue(java.sql.Types.VARCHAR, null)
                : value;
    }

    private static int limit(Map<String, Object> request) {
        Object limit = request.get("limit");
        if (limit == null) {
            return 100;
        }
        try {
            return Math.max(1, Math.min(10_000, Integer.parseInt(String.valueOf(limit))));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("limit: not a number");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return new HashMap<>();
        }
        try {
            Object value = JSON.readValue(bytes, Object.class);
            if (!(value instanceof Map)) {
                throw new IllegalArgumentException("expected a JSON object");
            }
            return new HashMap<>((Map<String, Object>) value);
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getMessage());
        }
    }

    private record Created(boolean created, Object value) {}

    private static final class Unauthorized extends RuntimeException {}

    private static final class UnsupportedMediaType extends RuntimeException {}
}
