package io.automatix.workflow;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.automatix.testing.RunningRouter;
import io.automatix.testing.RunsDb;
import io.automatix.testing.TestHome;
import io.automatix.testing.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A parametric step larger than its cluster's MaxArraySize runs, on the real SLURM over the real
 * OpenSSH, as several job arrays, each throttled: cluster {@code hpc} asks {@code scontrol show
 * config} (the provisioned SLURM's default, 1001), cluster {@code small} (the same SLURM) says 4 in
 * its {@code max-array-size} setting. Each task appends its parameter, SLURM's ids for it and when it
 * ran to a file, which the test compares with the rows and with SLURM's accounting.
 *
 * <p>Throttled, the 2,500 tasks take about 7.5 minutes here (443 s, two shared cores under load):
 * SLURM 22.05 starts a throttled array's tasks at about half its rate for an unthrottled one (10
 * against 20 tasks a second on a quiet machine), and the router adds some 15 s (submission,
 * recording, polls). So in CI they run unthrottled, and the throttle is shown on the 10 tasks of
 * cluster {@code small}; {@code -Dautomatix.large-array.throttle=2} runs the 2,500 throttled.
 */
class LargeArrayIT {

    private static final String TAG = UUID.randomUUID().toString().substring(0, 6);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static RunningRouter router;
    private static RunsDb db;
    private static Path scratch;
    /** The job names of the arrays this test may have submitted: cancelled whatever happens. */
    private static final Set<String> ARRAYS = new HashSet<>();
    /** The 2,500 tasks' throttle, 0 for none (see above). */
    private static final int THROTTLE = Integer.getInteger("automatix.large-array.throttle", 0);

    @BeforeAll
    static void start() throws Exception {
        TestServices.requireSshKey();
        scratch = TestServices.sharedDirectory("scratch", true);
        Path home = TestHome.copyOfProject()
                .with("workflow/parameter.sh.ftl", "templates/test/parameter.sh.ftl")
                .path();
        router = RunningRouter.builder()
                .home(home)
                .sshHost("automatix.clusters.hpc")
                .property("automatix.clusters.hpc.scratch", scratch.toString())
                .property("automatix.clusters.hpc.max-jobs", "2500") // room for every task at once
                .sshHost("automatix.clusters.small")
                .property("automatix.clusters.small.scratch", scratch.toString())
                .property("automatix.clusters.small.max-array-size", "4")
                .property("automatix.workflow.default-cluster", "hpc")
                .property("automatix.workflow.locations.gpu_module", "standby")
                .property("automatix.workflow.watch-ms", "1000")
                .property("automatix.process.poll-min-ms", "1000")
                .property("automatix.process.poll-max-ms", "2000")
                .start();
        db = new RunsDb(router.database());
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            // a failed test leaves no thousands of tasks behind: its arrays, by id and by name
            // (names carry this test's tag, so no other test's job is met)
            if (db != null) {
                List<String> ids = db.column("SELECT DISTINCT split_part(scheduler_job_id, '_', 1) FROM jobs"
                        + " WHERE session_id IS NOT NULL AND state IN ('queued', 'running')");
                if (!ids.isEmpty()) {
                    List<String> argv = new ArrayList<>(List.of("scancel", "-u", TestServices.SSH_USER, "--"));
                    argv.addAll(ids);
                    try {
                        TestServices.run(argv.toArray(String[]::new));
                    } catch (AssertionError e) { // some ended meanwhile: the names below catch the rest
                        System.err.println("LargeArrayIT: " + e.getMessage());
                    }
                }
            }
            for (String name : ARRAYS) {
                TestServices.run("scancel", "-u", TestServices.SSH_USER, "--name=" + name);
            }
        } finally {
            if (router != null) {
                router.close();
            }
        }
    }

    @Test
    void aStepOf2500ParametersRunsAsThreeArraysOfAtMostMaxArraySizeThatAllSucceedWithinTheirThrottle()
            throws Exception {
        assertThat(TestServices.run("scontrol", "show", "config"))
                .as("the provisioned SLURM's MaxArraySize")
                .containsPattern("(?m)^MaxArraySize\\s*=\\s*1001$");
        String step = "fan_" + TAG;
        long id =
                startSession("large_" + TAG, "hpc", """
                workflow:
                  name: large
                steps:
                - name: %s
                  location: gpu_module
                  template: test/parameter.sh.ftl
                %s
                  parameters:
                    start: 1000
                    step: 3
                    count: 2500
                """.formatted(step, THROTTLE > 0 ? "  throttle: " + THROTTLE : ""));
        String base = "wf-" + id + "." + step + ".1";
        List.of(".c0", ".c1", ".c2").forEach(c -> ARRAYS.add(base + c));

        long started = System.nanoTime();
        JsonNode status = runStep("large_" + TAG, step, Map.of(), Duration.ofMinutes(15));
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("LargeArrayIT: 2500 tasks in 3 arrays (throttle %d) took %.1f s%n", THROTTLE, seconds);
        assertThat(status.get("outcome").asText()).as(status.toString()).isEqualTo("succeeded");

        // three arrays of 1001, 1001 and 498 tasks, each its own SLURM array job, every row succeeded
        Map<String, String> arrayIds = checkArrays(id, base, List.of(1001, 1001, 498));
        assertThat(db.value("SELECT count(*) FROM jobs WHERE session_id = ? AND state = 'succeeded'", id))
                .isEqualTo("2500");

        // each element's parameter reached its task, run by SLURM as the row says
        List<Task> tasks = tasks(id, step);
        checkParameters(id, tasks, 2500, i -> String.valueOf(1000 + 3 * i));

        // SLURM's accounting: the tasks under the three ids, all completed, each array asked with its throttle
        List<String> accounting = List.of(TestServices.run(
                        "sacct",
                        "-n",
                        "-X",
                        "-P",
                        "-j",
                        String.join(",", arrayIds.values()),
                        "-o",
                        "JobID,State,SubmitLine")
                .split("\n"));
        // (the rows and the tasks' own lines above are complete; SLURM's accounting may lack a few
        // tasks that ended while another test restarted slurmdbd: 6 of 2500, ended in one second, once)
        assertThat(accounting).hasSizeBetween(2450, 2500).allMatch(l -> l.contains("|COMPLETED|"), "completed");
        for (Map.Entry<String, String> a : arrayIds.entrySet()) {
            int size = a.getKey().endsWith(".c2") ? 498 : 1001;
            String spec = "--array=0-" + (size - 1) + (THROTTLE > 0 ? "%" + THROTTLE : "") + " ";
            assertThat(accounting.stream().filter(l -> l.startsWith(a.getValue() + "_")))
                    .hasSizeGreaterThan(size - 25)
                    .allMatch(l -> Integer.parseInt(l.substring(l.indexOf('_') + 1, l.indexOf('|'))) < size, "a task")
                    .allMatch(l -> l.contains(spec), "submitted with " + spec);
        }
        // at no instant more tasks of one array running than its throttle, though the node runs up to
        // 16 jobs at once (OverSubscribe=FORCE:8 on two CPUs)
        busiest(tasks)
                .forEach((array, most) -> assertThat(most)
                        .as("tasks of array %s running at once", array)
                        .isBetween(1, THROTTLE > 0 ? THROTTLE : 16));
    }

    @Test
    void aThrottleOfOneRunsEachArraysTasksOneAtATimeWhileTheArraysRunSideBySide() throws Exception {
        String step = "nap_" + TAG;
        long id = startSession("small_" + TAG, "small", """
                workflow:
                  name: small
                steps:
                - name: %s
                  location: gpu_module
                  template: test/parameter.sh.ftl
                  throttle: 1
                  parameters: [a, b, c, d, e, f, g, h, i, j]
                """.formatted(step));
        String base = "wf-" + id + "." + step + ".1";
        List.of(".c0", ".c1", ".c2").forEach(c -> ARRAYS.add(base + c));

        JsonNode status = runStep("small_" + TAG, step, Map.of("nap", "1"), Duration.ofMinutes(3));
        assertThat(status.get("outcome").asText()).as(status.toString()).isEqualTo("succeeded");

        // the cluster's max-array-size (4), not scontrol's 1001, split it
        checkArrays(id, base, List.of(4, 4, 2));
        List<Task> tasks = tasks(id, step);
        checkParameters(id, tasks, 10, i -> String.valueOf((char) ('a' + i)));
        Map<String, Integer> busiest = busiest(tasks);
        assertThat(busiest)
                .hasSize(3)
                .allSatisfy((array, most) -> assertThat(most)
                        .as("tasks of array %s running at once", array)
                        .isEqualTo(1));
        // the node had room for more (it runs up to 16 jobs at once): the throttle held each array to one
        assertThat(mostAtOnce(tasks)).as("tasks of all arrays running at once").isGreaterThanOrEqualTo(2);
    }

    // --- checks ------------------------------------------------------------------------------------

    /** One line of a task: its parameter index and value, SLURM's {@code <array id>_<task>}, when it ran. */
    private record Task(int index, String value, String jobId, BigDecimal start, BigDecimal end) {

        String array() {
            return jobId.substring(0, jobId.indexOf('_'));
        }
    }

    /**
     * The step's arrays are {@code <base>.c0, .c1, ...} of these sizes, tasks 0 to size-1, each
     * under one SLURM array id of its own; returns the ids by array name.
     */
    private static Map<String, String> checkArrays(long session, String base, List<Integer> sizes) throws Exception {
        Map<String, String> ids = new TreeMap<>();
        for (int k = 0; k < sizes.size(); k++) {
            String name = base + ".c" + k;
            Map<String, String> a = db.row(
                    "SELECT count(*) AS tasks, min(array_size) AS size, min(array_index) AS first,"
                            + " max(array_index) AS last, min(parameter_index) AS offset,"
                            + " count(DISTINCT split_part(scheduler_job_id, '_', 1)) AS ids,"
                            + " min(split_part(scheduler_job_id, '_', 1)) AS id,"
                            + " bool_and(scheduler_job_id = split_part(scheduler_job_id, '_', 1) || '_' || array_index)"
                            + "   AS task_ids,"
                            + " bool_and(scheduler_job_name = array_name || '_' || array_index) AS names"
                            + " FROM jobs WHERE session_id = ? AND array_name = ?",
                    session,
                    name);
            int size = sizes.get(k);
            assertThat(a)
                    .as(name)
                    .containsEntry("tasks", String.valueOf(size))
                    .containsEntry("size", String.valueOf(size))
                    .containsEntry("first", "0")
                    .containsEntry("last", String.valueOf(size - 1))
                    .containsEntry(
                            "offset",
                            String.valueOf(sizes.subList(0, k).stream()
                                    .mapToInt(i -> i)
                                    .sum()))
                    .containsEntry("ids", "1")
                    .containsEntry("task_ids", "t")
                    .containsEntry("names", "t");
            ids.put(name, a.get("id"));
        }
        assertThat(new HashSet<>(ids.values())).as("distinct array job ids").hasSize(sizes.size());
        assertThat(db.value("SELECT count(*) FROM jobs WHERE session_id = ?", session))
                .isEqualTo(String.valueOf(sizes.stream().mapToInt(i -> i).sum()));
        return ids;
    }

    /** Every element ran once, with its own value, as the SLURM task its row names. */
    private static void checkParameters(
            long session, List<Task> tasks, int count, java.util.function.IntFunction<String> value) throws Exception {
        assertThat(tasks).hasSize(count);
        Map<String, String> rowIds = new HashMap<>();
        for (Map.Entry<String, String> r : rows(session).entrySet()) {
            rowIds.put(r.getKey(), r.getValue());
        }
        Set<Integer> seen = new HashSet<>();
        for (Task t : tasks) {
            assertThat(seen.add(t.index())).as("index %d ran once", t.index()).isTrue();
            assertThat(t.value()).as("value of index %d", t.index()).isEqualTo(value.apply(t.index()));
            assertThat(t.jobId())
                    .as("SLURM task of index %d", t.index())
                    .isEqualTo(rowIds.get(String.valueOf(t.index())));
        }
        assertThat(seen).hasSize(count);
    }

    /** Each row's scheduler job id by its parameter index. */
    private static Map<String, String> rows(long session) throws Exception {
        Map<String, String> ids = new HashMap<>();
        for (String line : db.column(
                "SELECT parameter_index || ' ' || scheduler_job_id FROM jobs WHERE session_id = ?", session)) {
            String[] w = line.split(" ");
            ids.put(w[0], w[1]);
        }
        return ids;
    }

    private static List<Task> tasks(long session, String step) throws Exception {
        Path file = scratch.resolve("sessions/" + session + "/steps/" + step + ".1/tasks.txt");
        List<Task> tasks = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String[] w = line.split(" ");
            assertThat(w).as(line).hasSize(5);
            tasks.add(new Task(Integer.parseInt(w[0]), w[1], w[2], new BigDecimal(w[3]), new BigDecimal(w[4])));
        }
        return tasks;
    }

    /** The most tasks of each array that ran at one instant. */
    private static Map<String, Integer> busiest(List<Task> tasks) {
        Map<String, List<Task>> byArray = new TreeMap<>();
        tasks.forEach(
                t -> byArray.computeIfAbsent(t.array(), k -> new ArrayList<>()).add(t));
        Map<String, Integer> most = new TreeMap<>();
        byArray.forEach((array, list) -> most.put(array, mostAtOnce(list)));
        return most;
    }

    /** The most of these tasks running at one instant: a sweep over their starts and ends (an end first). */
    private static int mostAtOnce(List<Task> tasks) {
        TreeMap<BigDecimal, Integer> change = new TreeMap<>();
        for (Task t : tasks) {
            change.merge(t.start(), 1, Integer::sum);
            change.merge(t.end(), -1, Integer::sum);
        }
        int running = 0;
        int most = 0;
        for (int delta : change.values()) {
            running += delta;
            most = Math.max(most, running);
        }
        return most;
    }

    // --- the sessions API --------------------------------------------------------------------------

    private static JsonNode call(String method, String path, Object body, int expected) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(router.url(path)))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TestServices.API_TOKEN)
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as(method + " " + path + ": " + response.body())
                .isEqualTo(expected);
        return JSON.readTree(response.body());
    }

    /** Starts a session of the WDF on the cluster and waits until it is active; returns its id. */
    private static long startSession(String session, String cluster, String wdf) throws Exception {
        long id = call("POST", "/api/sessions", Map.of("wdf", wdf, "session", session, "cluster", cluster), 201)
                .get("id")
                .asLong();
        await().atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .until(() -> "active"
                        .equals(call("GET", "/api/sessions/" + session, null, 200)
                                .get("status")
                                .asText()));
        return id;
    }

    /** Runs the session's step and waits until it has stopped; returns its status. */
    private static JsonNode runStep(String session, String step, Map<String, String> variables, Duration within)
            throws Exception {
        call("POST", "/api/sessions/" + session + "/steps/" + step, Map.of("variables", variables), 202);
        JsonNode[] last = new JsonNode[1];
        // other tests restart the machine's PostgreSQL now and then: an answer of the router's during
        // that is no answer about the step
        await().atMost(within)
                .pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions()
                .until(() -> {
                    last[0] = stepStatus(session, step);
                    return "stopped".equals(last[0].get("status").asText());
                });
        return last[0];
    }

    private static JsonNode stepStatus(String session, String step) throws Exception {
        JsonNode status = call("GET", "/api/sessions/" + session, null, 200);
        for (String list : new String[] {"active_steps", "terminated_steps"}) {
            for (JsonNode s : status.get(list)) {
                if (s.get("step").asText().equals(step)) {
                    return s;
                }
            }
        }
        throw new AssertionError("no step " + step + " in " + status);
    }
}
