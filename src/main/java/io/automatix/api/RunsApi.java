package io.automatix.api;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.automatix.archive.Archiver;
import io.automatix.db.Transactions;
import io.automatix.run.InvalidInputException;
import io.automatix.run.RunControl;
import io.automatix.run.RunIngest;
import io.automatix.run.RunNotFoundException;

import static io.automatix.api.ApiQueries.nullable;

/** {@code /api/runs}: runs offered, shown, reprocessed, cancelled and restored, each as the request's user. */
public final class RunsApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RunIngest ingest;
    private final RunControl runs;
    private final Archiver archiver;
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final ApiQueries queries;
    private final OwnerScope scope;

    RunsApi(RunIngest ingest, RunControl runs, Archiver archiver, Transactions transactions, OwnerScope scope) {
        this.ingest = ingest;
        this.runs = runs;
        this.archiver = archiver;
        this.queries = new ApiQueries(transactions);
        this.scope = scope;
    }

    public Object list(ApiRequest request) {
        return queries.rows(
                "list-runs.sql",
                scope.of(
                        request.principal(),
                        Map.of("status", nullable(request.parameter("status")), "limit", request.limit())));
    }

    /**
     * The run as stored: 201 only when this offer made it. It belongs to the request's user and to
     * {@code group}, one of the user's groups (an operator may name any).
     */
    public Reply offer(ApiRequest request) throws IOException {
        byte[] body = request.body();
        String group = null;
        JsonNode root = null;
        try {
            root = STRICT.readTree(body);
        } catch (IOException e) {
            // not JSON: the run parser says why
        }
        if (root instanceof ObjectNode offer && offer.has("group")) {
            JsonNode g = offer.remove("group");
            try {
                group = request.principal().groupToGive(g.isNull() ? null : g.isTextual() ? g.asText() : g);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("group", e.getMessage());
            }
            body = STRICT.writeValueAsBytes(offer);
        }
        var ingested = ingest.offer(body, request.user(), request.user(), group);
        owned(request, ingested.run().name()); // offering a name someone else has tells nothing more than 404
        return new Reply(ingested.created() ? 201 : 200, ingested.run());
    }

    @SuppressWarnings("unchecked")
    public Object show(ApiRequest request) {
        String name = request.parameter("name");
        Map<String, Object> run = new LinkedHashMap<>(JSON.convertValue(ingest.find(name), Map.class));
        run.putAll(owned(request, name));
        run.put(
                "jobs",
                queries.rows(
                        "list-jobs.sql",
                        scope.of(request.principal(), Map.of("run", name, "state", nullable(null), "limit", 10_000))));
        run.put("events", queries.rows("run-events.sql", Map.of("run", name)));
        return run;
    }

    /**
     * The run's owner and group, if the request's user may see and act on it.
     *
     * @throws RunNotFoundException when it does not exist or is not theirs (they are not told which)
     */
    private Map<String, Object> owned(ApiRequest request, String name) {
        var rows = queries.rows("run-owner.sql", scope.of(request.principal(), Map.of("name", name)));
        if (rows.isEmpty() || !Boolean.TRUE.equals(rows.get(0).get("visible"))) {
            throw new RunNotFoundException(name);
        }
        Map<String, Object> owner = new LinkedHashMap<>(rows.get(0));
        owner.remove("visible");
        return owner;
    }

    public Object reprocess(ApiRequest request) {
        String name = ingest.find(request.parameter("name")).name();
        owned(request, name);
        int n = runs.reprocess(request.user(), name);
        if (n == 0) {
            throw new IllegalStateException("run " + name + " is not processed or failed: nothing to reprocess");
        }
        return Map.of("run", name, "jobs", n, "processed_status", "queued");
    }

    public Object cancel(ApiRequest request) throws IOException {
        String name = ingest.find(request.parameter("name")).name();
        owned(request, name);
        int n = runs.cancel(request.user(), name);
        if (n < 0) {
            throw new IllegalStateException("run " + name + " is not being processed");
        }
        return Map.of("run", name, "jobs_cancelled", n, "processed_status", "failed");
    }

    public Object restore(ApiRequest request) throws IOException {
        String name = ingest.find(request.parameter("name")).name();
        owned(request, name);
        Object given = request.fields().get("directory");
        // none: the first of the restore roots (automatix.archive.restore-roots), which the archiver checks
        String dir = given == null ? archiver.defaultRestoreDirectory().toString() : given.toString();
        if (!(given == null || given instanceof String) || !dir.startsWith("/")) {
            throw new IllegalArgumentException(
                    "directory: an absolute directory of the router's host under its restore roots is required");
        }
        return Map.of("run", name, "files", archiver.restore(name, Path.of(dir)), "directory", dir + "/" + name);
    }
}
