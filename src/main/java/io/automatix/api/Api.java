package io.automatix.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.automatix.archive.Archiver;
import io.automatix.db.Transactions;
import io.automatix.process.JobEngine;
import io.automatix.run.RunControl;
import io.automatix.run.RunIngest;
import io.automatix.run.RunNotFoundException;
import io.automatix.transfer.TransferRun;
import io.automatix.transfer.Transfers;

import static io.automatix.api.ApiQueries.nullable;

/**
 * The REST API under {@code /api} (routes/api.camel.yaml, described by {@code /api/openapi.json})
 * for what is not one run's or one session's: jobs, supervisions, bundles, transfers, the status
 * report, one pass of the flows now, and the description itself. {@link RunsApi} and
 * {@link SessionsApi} have the rest; {@link ApiHttp} authenticates and answers, and
 * routeConfiguration {@code api} maps failures to HTTP statuses.
 */
public final class Api {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RunIngest ingest;
    private final RunControl runs;
    private final Transfers transfers;
    private final JobEngine jobs;
    private final ApiQueries queries;
    private final StatusReport status;

    private final OwnerScope scope;

    Api(
            RunIngest ingest,
            RunControl runs,
            Transfers transfers,
            JobEngine jobs,
            Transactions transactions,
            OwnerScope scope) {
        this.ingest = ingest;
        this.runs = runs;
        this.transfers = transfers;
        this.jobs = jobs;
        this.queries = new ApiQueries(transactions);
        this.status = new StatusReport(transactions, transfers, scope);
        this.scope = scope;
    }

    /** The API's two action beans, sharing one view of who owns what. */
    public record Parts(Api api, RunsApi runs) {}

    /** Runs without an owner belong to {@code defaultOwner} and {@code defaultGroup} (may be null). */
    public static Parts parts(
            RunIngest ingest,
            RunControl runs,
            Transfers transfers,
            JobEngine jobs,
            Archiver archiver,
            Transactions transactions,
            String defaultOwner,
            String defaultGroup) {
        OwnerScope scope = new OwnerScope(defaultOwner, defaultGroup);
        return new Parts(
                new Api(ingest, runs, transfers, jobs, transactions, scope),
                new RunsApi(ingest, runs, archiver, transactions, scope));
    }

    public Object jobs(ApiRequest request) {
        ownedRun(request);
        return queries.rows(
                "list-jobs.sql",
                scope.of(
                        request.principal(),
                        Map.of(
                                "run",
                                nullable(request.parameter("run")),
                                "state",
                                nullable(request.parameter("state")),
                                "limit",
                                request.limit())));
    }

    public Object supervisions(ApiRequest request) {
        ownedRun(request);
        return queries.rows(
                "list-supervisions.sql",
                scope.of(
                        request.principal(),
                        Map.of("run", nullable(request.parameter("run")), "limit", request.limit())));
    }

    /** {@code ?run=} of a run the user may not see is 404, as {@code GET /api/runs/{name}} is. */
    private void ownedRun(ApiRequest request) {
        String run = request.parameter("run");
        if (run != null && !scope.visible(request.principal(), run, queries)) {
            throw new RunNotFoundException(run);
        }
    }

    public Object bundles(ApiRequest request) {
        return queries.rows("list-bundles.sql", scope.of(request.principal(), Map.of("limit", request.limit())));
    }

    public Object transfers(ApiRequest request) {
        return scope.transfers(request.principal(), transfers.status(), queries);
    }

    public Object status(ApiRequest request) {
        return status.report(request.principal());
    }

    public Object openapi(ApiRequest request) throws IOException {
        try (InputStream in = Api.class.getResourceAsStream("openapi.json")) {
            return JSON.readTree(in);
        }
    }

    /**
     * One pass of the flows asked for, now, the Fulliautomatix way (for cron through the CLI):
     * reprocess the named runs, transfer what is due, plan and submit what is ready, poll. With
     * {@code dry_run}, only what would be done.
     */
    public Object once(ApiRequest request) {
        Map<String, Object> asked = request.fields();
        String user = request.user();
        boolean dryRun = Boolean.TRUE.equals(asked.get("dry_run"));
        Map<String, Object> result = new LinkedHashMap<>();
        if (asked.get("reprocess") instanceof List<?> names) {
            Map<String, Object> reprocessed = new LinkedHashMap<>();
            for (Object name : names) {
                String run = ingest.find(String.valueOf(name)).name();
                reprocessed.put(
                        run, dryRun ? "would be reprocessed" : runs.reprocess(user, run) + " job(s) queued again");
            }
            result.put("reprocess", reprocessed);
        }
        if (Boolean.TRUE.equals(asked.get("transfer"))) {
            if (dryRun) {
                result.put("transfer", transfers.plan());
            } else {
                List<TransferRun> claimed = transfers.claim();
                claimed.forEach(transfers::transfer);
                result.put("transfer", claimed.stream().map(TransferRun::name).toList());
            }
        }
        if (Boolean.TRUE.equals(asked.get("process"))) {
            if (dryRun) {
                result.put(
                        "process",
                        Map.of(
                                "ondeck",
                                queries.rows(
                                        "list-runs.sql",
                                        scope.of(request.principal(), Map.of("status", "ondeck", "limit", 1000)))));
            } else {
                int planned = jobs.plan();
                int submitted = jobs.submit();
                jobs.pollDue().join(); // the caller sees this pass's outcome
                result.put("process", Map.of("planned_runs", planned, "submitted_jobs", submitted));
            }
        }
        return result;
    }
}
