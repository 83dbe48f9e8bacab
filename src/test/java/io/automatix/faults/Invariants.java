package io.automatix.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.automatix.amqp.AmqpTopology;
import io.automatix.testing.RunsDb;
import io.automatix.testing.TestServices;

/**
 * What must hold after any schedule of faults, checked in order; the first violation fails the
 * suite with its name and the offending rows. The figures of a passing check go to the report.
 */
public final class Invariants {

    /** A SLURM job name of a run's step: run.step.attempt. */
    private static final Pattern JOB_NAME = Pattern.compile("(.+)\\.([^.]+)\\.(\\d+)");

    /**
     * A job's next attempt, recorded under its new name: the job engine's retry (back to pending) or
     * a supervision's recovery script (queued at once under the id it reported; a late job's from running).
     */
    private static final String RETRY =
            "from_state IN ('failed', 'lost', 'running') AND to_state IN ('pending', 'queued')";

    /** States a row may only pass through: at the end none may be left in them. */
    private static final String TRANSIENT_ROWS = """
            SELECT 'run ' || name || ': ' || raw_status || '/' || processed_status FROM runs
             WHERE raw_status IN ('acquired', 'transferring') OR processed_status IN ('queued', 'processing')
            UNION ALL SELECT 'job ' || scheduler_job_name || ': ' || state FROM jobs
             WHERE state IN ('pending', 'submitting', 'queued', 'running')
            UNION ALL SELECT 'bundle ' || id || ': ' || status FROM archive_bundles WHERE status IN ('building', 'uploading')
            UNION ALL SELECT 'supervision ' || id || ': ' || dispatch_status FROM supervisions
             WHERE dispatch_status IN ('pending', 'formatted', 'dispatching')""";

    /**
     * Each entity's events, in order, must chain (one's to_state is the next one's from_state) from
     * its creation to the state its row holds now. A run has two chains: raw and processed status.
     */
    private static final String BROKEN_CHAINS = """
            WITH e AS (
              SELECT id, entity, entity_id, entity_name, from_state, to_state,
                     CASE WHEN type LIKE 'run.processing.%' THEN 'processed' ELSE 'state' END AS chain
                FROM events WHERE entity IN ('run', 'job', 'bundle', 'supervision') AND to_state IS NOT NULL),
            c AS (
              SELECT *, lag(to_state) OVER w AS before, row_number() OVER w AS n,
                     count(*) OVER (PARTITION BY entity, entity_id, chain) AS total
                FROM e WINDOW w AS (PARTITION BY entity, entity_id, chain ORDER BY id)),
            now AS (
              SELECT 'run' AS entity, id, 'state' AS chain, raw_status AS state FROM runs
              UNION ALL SELECT 'run', id, 'processed', processed_status FROM runs WHERE processed_status <> 'none'
              UNION ALL SELECT 'job', id, 'state', state FROM jobs
              UNION ALL SELECT 'bundle', id, 'state', status FROM archive_bundles
              UNION ALL SELECT 'supervision', id, 'state', dispatch_status FROM supervisions)
            SELECT c.entity || ' ' || c.entity_name || ': event ' || c.id || ' goes ' || coalesce(c.from_state, '(new)')
                   || '>' || c.to_state || ' after ' || coalesce(c.before, '(nothing)')
              FROM c WHERE c.before IS DISTINCT FROM c.from_state
               AND NOT (c.n = 1 AND (c.from_state IS NULL OR (c.chain = 'processed' AND c.from_state = 'none')))
            UNION ALL
            SELECT now.entity || ' ' || now.id || ': is ' || now.state || ' but its last event says '
                   || coalesce(c.to_state, '(no event)')
              FROM now LEFT JOIN c ON c.entity = now.entity AND c.entity_id = now.id AND c.chain = now.chain AND c.n = c.total
             WHERE c.to_state IS DISTINCT FROM now.state""";

    /** Queues a router consumes: empty, nothing unacknowledged. Alerts and the .debug taps are for people to read. */
    private static final Set<String> INPUT_QUEUES = Set.of(
            AmqpTopology.RUNS_QUEUE,
            AmqpTopology.DEAD_QUEUE,
            AmqpTopology.TRANSFER_WAKE_QUEUE,
            AmqpTopology.JOB_STATUS_QUEUE,
            AmqpTopology.PROCESS_WAKE_QUEUE,
            "automatix.supervisor.format",
            "automatix.supervisor.dispatch");

    private final RunsDb db;
    private final String vhost;
    private final String tag;
    private final Path objectStore;

    Invariants(RunsDb db, String vhost, String tag, Path objectStore) {
        this.db = db;
        this.vhost = vhost;
        this.tag = tag;
        this.objectStore = objectStore;
    }

    /** The figures once every invariant held. */
    public record Figures(int runs, int archived, int failed, int slurmJobs, int retries, int duplicates, int lost) {}

    Figures check(Set<String> offered, SlurmLedger slurm) throws SQLException {
        List<String> names = db.column("SELECT name FROM runs");
        List<String> lost =
                offered.stream().filter(n -> !names.contains(n)).sorted().toList();
        violated("every offered run is in the runs database", lost);

        violated("every run is archived or failed with a reason", db.column("""
                SELECT name || ': ' || raw_status || '/' || processed_status || coalesce(' (' || last_error || ')', '')
                  FROM runs WHERE NOT (
                        (raw_status = 'archived' AND processed_status = 'processed' AND raw_location LIKE 's3://%')
                     OR (coalesce(last_error, '') <> '' AND (processed_status = 'failed'
                         OR raw_status IN ('transfer_failed', 'compress_failed', 'archive_failed'))))
                 ORDER BY name"""));
        violated("every archived run is in exactly one verified bundle", db.column("""
                SELECT r.name || ': ' || count(b.id) || ' verified bundle(s)' FROM runs r
                  LEFT JOIN archive_members m ON m.run_id = r.id
                  LEFT JOIN archive_bundles b ON b.id = m.bundle_id AND b.status = 'verified'
                 WHERE r.raw_status = 'archived' GROUP BY r.name HAVING count(b.id) <> 1"""));
        violated(
                "every verified bundle is in the object store",
                db.column("SELECT bucket || '/' || key FROM archive_bundles WHERE status = 'verified'").stream()
                        .filter(object -> !Files.isRegularFile(objectStore.resolve(object)))
                        .toList());

        int duplicates = checkSlurm(slurm);

        violated("every transition has its event, in order, ending in the row's state", db.column(BROKEN_CHAINS));
        violated(
                "every event is published",
                db.column(
                        "SELECT id || ' ' || entity_name || ' ' || type FROM events WHERE published_at IS NULL ORDER BY id LIMIT 20"));
        violated("no message is left in or unacknowledged by a queue a router reads", queues());
        violated("no row is left in a transient state", db.column(TRANSIENT_ROWS));

        int archived = Integer.parseInt(db.value("SELECT count(*) FROM runs WHERE raw_status = 'archived'"));
        int retries = Integer.parseInt(db.value("SELECT count(*) FROM events WHERE entity = 'job' AND " + RETRY));
        return new Figures(
                names.size(), archived, names.size() - archived, slurm.size(), retries, duplicates, lost.size());
    }

    /**
     * SLURM's own record against ours: one SLURM job per name; every SLURM job is one we recorded
     * (by id); a later attempt's job only after a recorded retry; nothing of ours left in SLURM's queue.
     */
    private int checkSlurm(SlurmLedger slurm) throws SQLException {
        Map<String, Set<String>> byName = slurm.idsByName();
        List<String> twice = new ArrayList<>();
        byName.forEach((name, ids) -> {
            if (ids.size() > 1) {
                twice.add(name + ": " + slurm.describe(ids));
            }
        });
        violated("no SLURM job name was submitted twice", twice);

        Set<String> recorded = Set.copyOf(db.column("SELECT DISTINCT detail ->> 'scheduler_job_id' FROM events"
                + " WHERE entity = 'job' AND detail ->> 'scheduler_job_id' IS NOT NULL"));
        List<String> unknown = new ArrayList<>();
        List<String> unretried = new ArrayList<>();
        for (Map.Entry<String, Set<String>> job : byName.entrySet()) {
            String id = job.getValue().iterator().next();
            if (!recorded.contains(id)) {
                unknown.add(job.getKey() + " (" + id + ")");
            }
            Matcher m = JOB_NAME.matcher(job.getKey());
            if (m.matches()
                    && Integer.parseInt(m.group(3)) > 1
                    && db.value(
                                    "SELECT 1 FROM events WHERE entity = 'job'" + " AND entity_name = ? AND " + RETRY,
                                    job.getKey())
                            == null) {
                unretried.add(job.getKey());
            }
        }
        violated("every SLURM job is one a router recorded", unknown);
        violated("a step has a second SLURM job only after a recorded retry", unretried);
        violated(
                "every job a router recorded as submitted is SLURM's job of that name",
                db
                        .column(
                                "SELECT scheduler_job_name || ' ' || scheduler_job_id FROM jobs WHERE scheduler_job_id IS NOT NULL")
                        .stream()
                        .filter(row -> {
                            String[] f = row.split(" ");
                            return !byName.getOrDefault(f[0], Set.of()).equals(Set.of(f[1]));
                        })
                        .toList());
        violated(
                "no job of the suite is left in SLURM's queue",
                TestServices.run("squeue", "-h", "-o", "%i %j %T")
                        .lines()
                        .filter(l -> l.contains(tag))
                        .toList());
        return twice.size();
    }

    private List<String> queues() {
        List<String> left = new ArrayList<>();
        for (String line : TestServices.run(
                        "rabbitmqctl",
                        "-q",
                        "list_queues",
                        "-p",
                        vhost,
                        "--no-table-headers",
                        "name",
                        "messages_ready",
                        "messages_unacknowledged")
                .lines()
                .toList()) {
            String[] f = line.strip().split("\\s+");
            if (f.length == 3 && INPUT_QUEUES.contains(f[0]) && !(f[1].equals("0") && f[2].equals("0"))) {
                left.add(f[0] + ": " + f[1] + " ready, " + f[2] + " unacknowledged");
            }
        }
        return left;
    }

    private static void violated(String invariant, List<String> violations) {
        if (!violations.isEmpty()) {
            throw new AssertionError("invariant violated: " + invariant + ": " + violations.size() + " case(s), first "
                    + String.join("; ", violations.subList(0, Math.min(10, violations.size()))));
        }
    }
}
