package io.automatix.api;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.automatix.archive.Archiver;
import io.automatix.db.Transactions;
import io.automatix.run.RunControl;
import io.automatix.run.RunIngest;

import static io.automatix.api.ApiQueries.nullable;

/** {@code /api/runs}: runs offered, shown, reprocessed, cancelled and restored, each as the request's user. */
public final class RunsApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RunIngest ingest;
    private final RunControl runs;
    private final Archiver archiver;
    private final ApiQueries queries;

    public RunsApi(RunIngest ingest, RunControl runs, Archiver archiver, Transactions transactions) {
        this.ingest = ingest;
        this.runs = runs;
        this.archiver = archiver;
        this.queries = new ApiQueries(transactions);
    }

    public Object list(ApiRequest request) {
        return queries.rows(
                "list-runs.sql", Map.of("status", nullable(request.parameter("status")), "limit", request.limit()));
    }

    /** The run as stored: 201 only when this offer made it. */
    public Reply offer(ApiRequest request) {
        var ingested = ingest.offer(request.body(), request.user());
        return new Reply(ingested.created() ? 201 : 200, ingested.run());
    }

    @SuppressWarnings("unchecked")
    public Object show(ApiRequest request) {
        String name = request.parameter("name");
        Map<String, Object> run = new LinkedHashMap<>(JSON.convertValue(ingest.find(name), Map.class));
        run.put("jobs", queries.rows("list-jobs.sql", Map.of("run", name, "state", nullable(null), "limit", 10_000)));
        run.put("events", queries.rows("run-events.sql", Map.of("run", name)));
        return run;
    }

    public Object reprocess(ApiRequest request) {
        String name = ingest.find(request.parameter("name")).name();
        int n = runs.reprocess(request.user(), name);
        if (n == 0) {
            throw new IllegalStateException("run " + name + " is not processed or failed: nothing to reprocess");
        }
        return Map.of("run", name, "jobs", n, "processed_status", "queued");
    }

    public Object cancel(ApiRequest request) throws IOException {
        String name = ingest.find(request.parameter("name")).name();
        int n = runs.cancel(request.user(), name);
        if (n < 0) {
            throw new IllegalStateException("run " + name + " is not being processed");
        }
        return Map.of("run", name, "jobs_cancelled", n, "processed_status", "failed");
    }

    public Object restore(ApiRequest request) throws IOException {
        String name = ingest.find(request.parameter("name")).name();
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
