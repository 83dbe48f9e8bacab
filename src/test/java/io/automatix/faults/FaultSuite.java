package io.automatix.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.automatix.embedded.EmbeddedObjectStore;
import io.automatix.testing.AmqpTestClient;
import io.automatix.testing.RouterProcess;
import io.automatix.testing.RunsDb;
import io.automatix.testing.TestServices;
import io.automatix.testing.Trees;

/**
 * A stream of runs through transfer (relay over SSH from an acquisition host), process (CyberShake
 * on SLURM) and archive (S3) with routers that are the jar as separate processes, while a seeded
 * schedule of faults hits the real services; then {@link Invariants}. Runs are offered half over
 * AMQP and half over the REST API, by a client that retries until its offer is taken, as an
 * acquisition system would.
 */
public final class FaultSuite implements AutoCloseable {

    /**
     * The size of a suite run: routers side by side, runs offered, faults scheduled, its seed, and
     * whether the faults are injected (a baseline keeps the schedule's pace of offers but injects none).
     */
    public record Size(
            int routers, int runs, int faults, long seed, Duration deadline, boolean inject, String transport) {
        public Size(int routers, int runs, int faults, long seed, Duration deadline) {
            this(routers, runs, faults, seed, deadline, true);
        }

        public Size(int routers, int runs, int faults, long seed, Duration deadline, boolean inject) {
            this(routers, runs, faults, seed, deadline, inject, "mina");
        }

        /** The same with the cluster reached through this transport ({@code openssh}: a master connection per router). */
        public Size over(String transport) {
            return new Size(routers, runs, faults, seed, deadline, inject, transport);
        }
    }

    /** What one suite run did. */
    public record Report(
            Size size,
            Invariants.Figures figures,
            Map<String, Integer> faults,
            int jobsKilled,
            Map<String, Integer> workByRouter,
            List<String> idleRouters,
            Duration elapsed) {
        public int faultsInjected() {
            return faults.values().stream().mapToInt(Integer::intValue).sum();
        }

        public double runsPerMinute() {
            return figures.runs() * 60_000.0 / elapsed.toMillis();
        }
    }

    private static final String S3_KEY = "faults-key";
    private static final int WINDOW_SECONDS = 20;
    private static final int BUSY_WINDOW = 20;
    /** How long a restarted router may take to pick up work once healthy. */
    private static final long STARTUP_MS = 10_000;

    private final Size size;
    private final String tag = UUID.randomUUID().toString().substring(0, 6);
    private final String database = TestServices.createDatabase();
    private final String vhost = TestServices.createVirtualHost();
    private final RunsDb db = new RunsDb(database);
    private final Path work;
    private final Path acquisition;
    private final Path scratch;
    private final EmbeddedObjectStore s3;
    private final List<Router> routers = new ArrayList<>();
    private final Set<String> offered = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> injected = new LinkedHashMap<>();
    /** The SLURM jobs the faults killed or cancelled. */
    private final List<String> jobsKilled = new java.util.concurrent.CopyOnWriteArrayList<>();

    public FaultSuite(Size size) throws IOException {
        TestServices.requireSshKey();
        this.size = size;
        work = Files.createTempDirectory("automatix-faults");
        acquisition = TestServices.sharedDirectory("acquisition", false);
        scratch = TestServices.sharedDirectory("scratch", true);
        s3 = new EmbeddedObjectStore(work.resolve("s3"), TestServices.freePort(), S3_KEY, "faults-secret-" + tag);
        s3.start();
        for (int i = 0; i < size.routers(); i++) {
            routers.add(new Router("router-" + (char) ('a' + i)));
        }
    }

    public Report run() throws Exception {
        FaultSchedule schedule = FaultSchedule.of(
                size.seed(), size.faults(), size.routers(), size.transport().equals("openssh"));
        System.out.println("FaultSuite " + tag + ": " + size + "\n"
                + schedule.describe(routers.stream().map(r -> r.id).toList()));
        long started = System.nanoTime();
        for (Router r : routers) {
            r.start();
        }
        try (SlurmLedger slurm = SlurmLedger.reading(tag)) {
            CompletableFuture<Void> offers = CompletableFuture.runAsync(() -> offer(schedule));
            CompletableFuture<Void> faults = CompletableFuture.runAsync(() -> inject(schedule, started));
            faults.get(size.deadline().toMillis(), TimeUnit.MILLISECONDS);
            offers.get(size.deadline().toMillis(), TimeUnit.MILLISECONDS);
            awaitSettled(started);
            slurm.read();
            Invariants.Figures figures =
                    new Invariants(db, vhost, tag, work.resolve("s3")).check(Set.copyOf(offered), slurm);
            Report report = new Report(
                    size,
                    figures,
                    Map.copyOf(injected),
                    Outages.killsThatLanded(jobsKilled, tag),
                    workByRouter(),
                    idleRouters(),
                    Duration.ofNanos(System.nanoTime() - started));
            System.out.println("FaultSuite " + tag + ": " + report);
            return report;
        } catch (AssertionError | Exception e) {
            throw new AssertionError(e.getMessage() + "\n(seed " + size.seed() + "; router logs in " + work + ")", e);
        }
    }

    // --- runs --------------------------------------------------------------------------------------

    /** Offers the runs spread over the schedule's expected length, so that every fault meets work in flight. */
    private void offer(FaultSchedule schedule) {
        long expected = schedule.faults().stream()
                .mapToLong(f -> f.pause().plus(f.lasting()).toMillis())
                .sum();
        long every = Math.max(100, expected / Math.max(1, size.runs()));
        Random random = new Random(size.seed() + 1);
        try {
            for (int i = 0; i < size.runs(); i++) {
                String run = String.format("fi_%s_%04d", tag, i);
                Path data = acquisition.resolve(run);
                Trees.write(data, i, 40_000 + random.nextInt(60_000), 20_000, 1_000);
                String offer = "{\"name\":\"" + run + "\",\"source_host\":\"daq\",\"source_path\":\"" + data
                        + "\",\"cluster\":\"hpc\",\"pipeline\":\"cybershake\"}";
                offerUntilTaken(offer, i % 2 == 0);
                offered.add(run);
                Thread.sleep(every);
            }
        } catch (Exception e) {
            throw new IllegalStateException("offering runs: " + e.getMessage(), e);
        }
    }

    private void offerUntilTaken(String offer, boolean amqp) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                if (amqp) {
                    try (AmqpTestClient client = AmqpTestClient.rabbitmq(vhost)) {
                        client.publish("automatix.runs", offer);
                        return;
                    }
                }
                for (Router r : routers) {
                    RouterProcess p = r.process;
                    if (p != null) {
                        int status = p.postJson("/api/runs", offer).statusCode();
                        if (status == 200 || status == 201) {
                            return;
                        }
                        last = "HTTP " + status;
                    }
                }
            } catch (Exception e) {
                last = e.toString();
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("an offer was not taken within 3 minutes: " + last + ": " + offer);
    }

    /** Waits until no run is on its way (every run archived or failed), or fails with what is still moving. */
    private void awaitSettled(long started) throws Exception {
        long deadline = started + size.deadline().toNanos();
        String moving = "";
        while (System.nanoTime() < deadline) {
            try {
                moving = db.value("SELECT count(*) || ' run(s) moving, e.g. ' || coalesce(min(name || ' ' || raw_status"
                        + " || '/' || processed_status), '') FROM runs WHERE NOT (raw_status IN ('archived', 'transfer_failed',"
                        + " 'compress_failed', 'archive_failed') OR processed_status = 'failed')");
                boolean outboxEmpty = "0".equals(db.value("SELECT count(*) FROM events WHERE published_at IS NULL"));
                if (moving.startsWith("0 ")
                        && outboxEmpty
                        && db.column("SELECT name FROM runs").size() == offered.size()) {
                    return;
                }
            } catch (SQLException e) {
                moving = e.getMessage();
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("not settled within " + size.deadline() + ": " + moving);
    }

    // --- faults ------------------------------------------------------------------------------------

    private void inject(FaultSchedule schedule, long started) {
        Random random = new Random(size.seed() + 2);
        try {
            for (FaultSchedule.Fault fault : schedule.faults()) {
                Thread.sleep(fault.pause().toMillis());
                if (!size.inject()) {
                    Thread.sleep(fault.lasting().toMillis());
                    continue;
                }
                String what = fault.describe(routers.stream().map(r -> r.id).toList());
                switch (fault.kind()) {
                    case KILL_ROUTER -> {
                        Router r = routers.get(fault.router());
                        r.kill();
                        Thread.sleep(fault.lasting().toMillis());
                        r.start();
                    }
                    case RESTART_BROKER -> {
                        Outages.stopBroker();
                        Thread.sleep(fault.lasting().toMillis());
                        Outages.startBroker();
                    }
                    case RESTART_DATABASE -> {
                        Outages.stopDatabase();
                        Thread.sleep(fault.lasting().toMillis());
                        Outages.startDatabase();
                    }
                    case STOP_SSHD -> {
                        Outages.stopSshd();
                        Thread.sleep(fault.lasting().toMillis());
                        Outages.startSshd();
                    }
                    case STOP_SLURMDBD -> {
                        Outages.stopSlurmdbd();
                        Thread.sleep(fault.lasting().toMillis());
                        Outages.startSlurmdbd();
                    }
                    case KILL_SSH_MASTER -> {
                        Router r = routers.get(fault.router());
                        Path socket = work.resolve("data-" + r.id).resolve("ssh/hpc.sock");
                        // a router just restarted opens its master again at its next command
                        var master = untilFound(() -> Outages.killSshMaster(socket));
                        if (master.isEmpty()) {
                            System.out.println("FaultSuite " + tag + ": no ssh master to kill");
                            continue;
                        }
                        what += " (" + master.get() + ")";
                    }
                    case FAIL_SLURM_JOB -> {
                        // between runs no job may be running: the next run brings one
                        var job = untilFound(() -> Outages.failSlurmJob(tag, random));
                        if (job.isEmpty()) {
                            System.out.println("FaultSuite " + tag + ": no job to fail");
                            continue;
                        }
                        what += " " + job.get();
                        jobsKilled.add(job.get().replaceFirst(".*\\((\\d+).*", "$1"));
                    }
                }
                injected.merge(fault.kind().name(), 1, Integer::sum);
                System.out.printf(
                        "FaultSuite %s: +%d s injected: %s%n",
                        tag, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), what);
            }
        } catch (Exception e) {
            throw new IllegalStateException("injecting faults: " + e.getMessage(), e);
        }
    }

    /**
     * Tries a fault that needs something to act on (an open master, a running job) every 2 s for up
     * to 60 s, so that a schedule's every fault is injected whatever the moment it meets.
     */
    private static Optional<String> untilFound(Callable<Optional<String>> attempt) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Optional<String> found = attempt.call();
        while (found.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(2_000);
            found = attempt.call();
        }
        return found;
    }

    /** Who did the work: transitions each router made, by flow. */
    private Map<String, Integer> workByRouter() throws SQLException {
        Map<String, Integer> work = new LinkedHashMap<>();
        for (String row : db.column("SELECT actor || ' ' || work || ' ' || count(*) FROM (SELECT actor,"
                + " CASE entity WHEN 'run' THEN 'transferred' WHEN 'job' THEN 'submitted' ELSE 'archived' END AS work"
                + " FROM events WHERE actor LIKE 'router-%' AND ((entity = 'run' AND to_state = 'ondeck')"
                + " OR (entity = 'job' AND to_state = 'queued') OR (entity = 'bundle' AND to_state = 'verified'))) w"
                + " GROUP BY actor, work ORDER BY actor, work")) {
            int cut = row.lastIndexOf(' ');
            work.put(row.substring(0, cut), Integer.parseInt(row.substring(cut + 1)));
        }
        return work;
    }

    /**
     * Routers that made no transition in a window of {@link #WINDOW_SECONDS} in which the routers
     * together made at least {@link #BUSY_WINDOW} and that router was up throughout: idle while another was loaded.
     */
    private List<String> idleRouters() throws SQLException {
        Map<Long, Map<String, Integer>> windows = new TreeMap<>();
        for (String row : db.column(
                "SELECT w || ' ' || actor || ' ' || n FROM (SELECT extract(epoch FROM at)::bigint / " + WINDOW_SECONDS
                        + " AS w, actor, count(*) AS n FROM events WHERE actor LIKE 'router-%' GROUP BY w, actor) c")) {
            String[] f = row.split(" ");
            windows.computeIfAbsent(Long.parseLong(f[0]), w -> new LinkedHashMap<>())
                    .put(f[1], Integer.parseInt(f[2]));
        }
        List<String> idle = new ArrayList<>();
        windows.forEach((w, byActor) -> {
            int total = byActor.values().stream().mapToInt(Integer::intValue).sum();
            long from = w * WINDOW_SECONDS * 1000;
            for (Router r : routers) {
                if (total >= BUSY_WINDOW
                        && !byActor.containsKey(r.id)
                        && r.upThroughout(from, from + WINDOW_SECONDS * 1000)) {
                    idle.add(r.id + " idle in " + Instant.ofEpochMilli(from) + " +" + WINDOW_SECONDS + " s while "
                            + byActor);
                }
            }
        });
        return idle;
    }

    // --- routers -----------------------------------------------------------------------------------

    /** One router of the suite: the jar as a process, restarted under the same id after a kill. */
    private final class Router {
        final String id;
        volatile RouterProcess process;
        int starts;

        Router(String id) {
            this.id = id;
        }

        /** When it was down (epoch ms, from the kill until it was healthy again). */
        final List<long[]> down = new ArrayList<>();

        void kill() throws InterruptedException {
            down.add(new long[] {System.currentTimeMillis(), Long.MAX_VALUE});
            process.kill();
            process = null;
        }

        void start() throws Exception {
            starts++;
            process = RouterProcess.start(work, id + "." + starts + ".log", settings(id));
            if (!down.isEmpty()) {
                down.get(down.size() - 1)[1] = System.currentTimeMillis();
            }
        }

        boolean upThroughout(long from, long to) {
            return down.stream().noneMatch(d -> d[0] < to && d[1] + STARTUP_MS > from);
        }
    }

    private Map<String, String> settings(String routerId) {
        Map<String, String> s =
                TestServices.routerSettings(database, vhost, routerId, work.resolve("data-" + routerId));
        TestServices.sshHost(s, "automatix.sources.daq");
        TestServices.sshHost(s, "automatix.clusters.hpc");
        s.put("automatix.clusters.hpc.scratch", scratch.toString());
        s.put("automatix.clusters.hpc.transport", size.transport());
        // every sshd stop costs each router some connects; the default (6 a minute) would stretch the suite
        s.put("automatix.clusters.hpc.connects-per-minute", "30");
        s.put("automatix.sources.daq.connects-per-minute", "30");
        s.put("automatix.clusters.hpc.push-url", "amqp://guest:guest@127.0.0.1:5672/" + vhost);
        s.put("automatix.s3.endpoint", s3.endpoint());
        s.put("automatix.s3.access-key", S3_KEY);
        s.put("automatix.s3.secret-key", "faults-secret-" + tag);
        s.put("automatix.transfer.poll-ms", "1000");
        s.put("automatix.transfer.lease-seconds", "60");
        s.put("automatix.transfer.backoff-seconds", "2");
        s.put("automatix.transfer.max-attempts", "30");
        s.put("automatix.process.plan-ms", "500");
        s.put("automatix.process.poll-min-ms", "500");
        s.put("automatix.process.poll-max-ms", "2000");
        s.put("automatix.process.submit-lease-seconds", "15");
        s.put("automatix.process.retry-delay-seconds", "1");
        // failed-for-good jobs (a killed second attempt) get a recovery script dispatched over SSH
        s.put("automatix.clusters.hpc.supervision-level", "2");
        s.put("automatix.supervise.dispatch-backoff-seconds", "2");
        s.put("automatix.supervise.dispatch-lease-seconds", "30");
        s.put("automatix.archive.poll-ms", "1000");
        s.put("automatix.archive.bundle-runs", "5");
        s.put("automatix.archive.bundle-age-seconds", "10");
        s.put("automatix.archive.lease-seconds", "60");
        s.put("automatix.archive.level", "1");
        s.put("automatix.events.lease-seconds", "10");
        s.put("automatix.ssh.connect-timeout-seconds", "5");
        return s;
    }

    @Override
    public void close() throws Exception {
        Outages.restoreAll(); // a suite that failed mid-fault leaves no service down for the tests after it
        for (Router r : routers) {
            if (r.process != null) {
                r.process.stop();
            }
        }
        s3.stop();
        TestServices.dropDatabase(database);
        TestServices.deleteVirtualHost(vhost);
    }
}
