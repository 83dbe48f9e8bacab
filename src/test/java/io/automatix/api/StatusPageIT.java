package io.automatix.api;

import java.awt.image.BufferedImage;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.automatix.testing.RunningRouter;
import io.automatix.testing.RunsDb;
import io.automatix.testing.TestHome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The status page and its API on a real router (real PostgreSQL and RabbitMQ, jobs as local
 * processes), looked at in Debian's headless Chromium. The database holds two CyberShake runs that
 * were processed, one run of a slow CyberShake (its LF step runs for minutes, so its DAG is caught
 * half way), one transfer held back by rsync's bandwidth limit, one run whose transfer failed, and
 * two supervisions (one an alert).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StatusPageIT {

    private static final String TOKEN = "test-token";
    private static final String TAG = UUID.randomUUID().toString().substring(0, 6);
    private static final String DONE_1 = "cs_done_1_" + TAG;
    private static final String DONE_2 = "cs_done_2_" + TAG;
    private static final String SLOW = "cs_slow_" + TAG;
    private static final String SLOW_2 = "cs_slow_2_" + TAG;
    private static final String MOVING = "moving_" + TAG;
    private static final String BROKEN = "broken_" + TAG;
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final int WIDTH = 1280;
    private static final int HEIGHT = 1600;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static RunningRouter router;
    private static RunsDb db;

    @BeforeAll
    static void start() throws Exception {
        Path scratch = Files.createTempDirectory("scratch");
        Path home = TestHome.copyOfProject().path();
        // CyberShake whose LF step outlasts the test: the runs of this pipeline stay 'processing'
        Files.writeString(home.resolve("pipelines/slowshake.yaml"), """
                pipeline: slowshake
                steps:
                  LF: {template: cybershake/step.sh.ftl, walltime: 10m, variables: {program: emod3d, seconds: "600"}}
                  HF: {template: cybershake/step.sh.ftl, walltime: 10m, variables: {program: hf_sim, seconds: "1"}}
                  BB: {template: cybershake/step.sh.ftl, walltime: 10m, after: [LF, HF], variables: {program: bb_sim, seconds: "1"}}
                  IM_calc: {template: cybershake/step.sh.ftl, walltime: 10m, after: [BB], variables: {program: im_calc, seconds: "1"}}
                """);
        router = RunningRouter.builder()
                .home(home)
                .property("automatix.api.users", "operator:" + ApiUsers.sha256(TOKEN) + ":admin")
                .property("automatix.clusters.local.scratch", scratch.toString())
                .property("automatix.process.plan-ms", "500")
                .property("automatix.process.poll-min-ms", "500")
                .property("automatix.transfer.poll-ms", "500")
                .property("automatix.transfer.rsync-options", "--bwlimit=64") // 16 MiB at 64 KiB/s: minutes
                .property("automatix.archive.enabled", "false") // processed runs keep their raw status
                .start();
        db = new RunsDb(router.database());

        db.ondeck(DONE_1, "local", "cybershake");
        db.ondeck(DONE_2, "local", "cybershake");
        db.awaitProcessed(DONE_1, Duration.ofSeconds(90));
        db.awaitProcessed(DONE_2, Duration.ofSeconds(90));
        db.ondeck(SLOW, "local", "slowshake");
        awaitSlowRunHalfWay(SLOW);

        Path source =
                Files.createDirectories(Files.createTempDirectory("acquisition").resolve(MOVING));
        byte[] data = new byte[16 << 20];
        new Random(1).nextBytes(data);
        Files.write(source.resolve("events.bin"), data);
        db.update("INSERT INTO runs (name, source_path, cluster) VALUES (?, ?, 'local')", MOVING, source.toString());
        db.update(
                "INSERT INTO runs (name, raw_status, last_error) VALUES (?, 'transfer_failed', 'rsync: no such file')",
                BROKEN);

        db.update(
                "INSERT INTO supervisions (job_id, run_id, trigger, level, dispatch_status, dispatch_error, dispatch_attempts)"
                        + " SELECT id, run_id, 'failed', 2, 'escalated', 'ssh: connection refused', 2 FROM jobs WHERE scheduler_job_name = ?",
                DONE_1 + ".BB.1");
        db.update(
                "INSERT INTO supervisions (job_id, run_id, trigger, level, dispatch_status, execution_status, dispatch_attempts)"
                        + " SELECT id, run_id, 'late', 2, 'dispatched', 'succeeded', 1 FROM jobs WHERE scheduler_job_name = ?",
                DONE_2 + ".HF.1");
        await().atMost(Duration.ofSeconds(30)).until(() -> transferring(MOVING));
    }

    @AfterAll
    static void stop() throws Exception {
        List<String> pids = db == null
                ? List.of()
                : db.column(
                        "SELECT scheduler_job_id FROM jobs"
                                + " WHERE state IN ('queued', 'running') AND scheduler_job_name LIKE ?",
                        "cs\\_slow%" + TAG + "%");
        try {
            if (router != null) {
                router.close();
            }
        } finally {
            // the slow LF jobs we started run in sessions of their own and would outlive the router
            for (String pid : pids) {
                if (pid != null && pid.matches("[0-9]+")) {
                    new ProcessBuilder("kill", "-TERM", "--", "-" + pid)
                            .inheritIO()
                            .start()
                            .waitFor();
                }
            }
        }
    }

    @Test
    @Order(1)
    void theReportNeedsATokenAndCountsWhatTheDatabaseHolds() throws Exception {
        HttpResponse<String> anonymous = get("/api/status", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(anonymous.body()).get("error").asText()).contains("token");
        assertThat(get("/api/status", "wrong-token").statusCode()).isEqualTo(401);

        HttpResponse<String> response = get("/api/status", TOKEN);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(response.headers().firstValue("Authorization")).isEmpty();
        JsonNode report = JSON.readTree(response.body());
        assertThat(report.fieldNames())
                .toIterable()
                .containsExactly(
                        "generated_at",
                        "runs",
                        "jobs",
                        "pipelines",
                        "transfers",
                        "supervisions",
                        "alerts",
                        "sessions",
                        "viewer");
        assertThat(Instant.parse(report.get("generated_at").asText()))
                .isBetween(Instant.now().minusSeconds(60), Instant.now());

        JsonNode runs = report.get("runs");
        assertThat(runs.get("total").asInt()).isEqualTo(5).isEqualTo(count("SELECT count(*) FROM runs"));
        assertThat(counts(runs.get("raw_status")))
                .isEqualTo(Map.of("ondeck", 3, "transferring", 1, "transfer_failed", 1));
        assertThat(counts(runs.get("processed_status"))).isEqualTo(Map.of("processed", 2, "processing", 1, "none", 2));
        assertThat(runs.get("raw_status").get("ondeck").asInt())
                .isEqualTo(count("SELECT count(*) FROM runs WHERE raw_status = 'ondeck'"));

        JsonNode jobs = report.get("jobs");
        assertThat(jobs.get("in_flight")).hasSize(1);
        JsonNode local = jobs.get("in_flight").get(0);
        assertThat(local.get("cluster").asText()).isEqualTo("local");
        assertThat(local.get("running").asInt()).isEqualTo(1);
        assertThat(local.get("queued").asInt()).isZero();
        assertThat(local.get("submitting").asInt()).isZero();
        assertThat(jobs.get("recent")).hasSize(12).hasSize(count("SELECT count(*) FROM jobs"));
        JsonNode lf = find(jobs.get("recent"), "name", SLOW + ".LF.1");
        assertThat(lf.get("state").asText()).isEqualTo("running");
        assertThat(lf.get("cluster").asText()).isEqualTo("local");
        assertThat(lf.get("run").asText()).isEqualTo(SLOW);
        assertThat(Instant.parse(lf.get("started_at").asText())).isBefore(Instant.now());
        assertThat(lf.get("finished_at").isNull()).isTrue();

        assertThat(report.get("pipelines")).hasSize(1);
        JsonNode slowshake = report.get("pipelines").get(0);
        assertThat(slowshake.get("pipeline").asText()).isEqualTo("slowshake");
        assertThat(slowshake.get("runs").asInt()).isEqualTo(1);
        assertThat(slowshake.get("first_runs").get(0).asText()).isEqualTo(SLOW);
        List<String> steps = slowshake.get("steps").findValuesAsText("step");
        assertThat(steps).containsExactly("LF", "HF", "BB", "IM_calc");
        assertThat(step(slowshake, "LF"))
                .containsEntry("total", 1)
                .containsEntry("running", 1)
                .containsEntry("succeeded", 0);
        assertThat(step(slowshake, "HF")).containsEntry("total", 1).containsEntry("succeeded", 1);
        assertThat(step(slowshake, "BB")).containsEntry("total", 1).containsEntry("pending", 1);
        assertThat(step(slowshake, "IM_calc"))
                .containsEntry("total", 1)
                .containsEntry("pending", 1)
                .containsEntry("failed", 0);

        JsonNode transfers = report.get("transfers");
        assertThat(transfers.get("dry_run").asBoolean()).isFalse();
        assertThat(transfers.get("running")).hasSize(1);
        assertThat(transfers.get("running").get(0).get("run").asText()).isEqualTo(MOVING);

        assertThat(report.get("supervisions")).hasSize(2);
        assertThat(report.get("supervisions").get(0).get("job").asText()).isEqualTo(DONE_2 + ".HF.1");
        assertThat(report.get("supervisions").get(1).get("dispatch_status").asText())
                .isEqualTo("escalated");
        assertThat(report.get("alerts")).hasSize(1);
        JsonNode alert = report.get("alerts").get(0);
        assertThat(alert.get("job").asText()).isEqualTo(DONE_1 + ".BB.1");
        assertThat(alert.get("trigger").asText()).isEqualTo("failed");
        assertThat(alert.get("dispatch_error").asText()).isEqualTo("ssh: connection refused");
        assertThat(Instant.parse(alert.get("created_at").asText())).isBefore(Instant.now());
        assertThat(report.get("sessions")).isEmpty();
    }

    @Test
    @Order(2)
    void thePageShowsTheRunsAndFollowsThemLive() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new AssertionError(
                    CHROMIUM + " and " + CHROMEDRIVER + " are needed for the browser test: run scripts/provision");
        }
        assertThat(get("/status/status.css", null).headers().firstValue("Content-Type"))
                .hasValue("text/css; charset=utf-8");
        assertThat(get("/status/status.js", null).headers().firstValue("Content-Type"))
                .hasValue("text/javascript; charset=utf-8");
        assertThat(get("/status/application.properties", null).statusCode()).isEqualTo(404);
        assertThat(get("/status/..%2Fapplication.properties", null).statusCode())
                .isEqualTo(404);

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=" + WIDTH + "," + HEIGHT);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .build();
        WebDriver driver = new ChromeDriver(service, options);
        try {
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
            driver.get(router.url("/status"));
            assertThat(driver.getTitle()).isEqualTo("Automatix status");
            driver.findElement(By.id("token")).sendKeys(TOKEN);
            driver.findElement(By.id("connect")).click();
            wait.until(d -> text(d, "runs").contains("5 runs"));

            assertThat(text(driver, "runs"))
                    .contains(
                            "ondeck 3", "transferring 1", "transfer_failed 1", "processed 2", "processing 1", "none 2");
            assertThat(text(driver, "pipelines"))
                    .contains("slowshake", "1 run", SLOW, "LF", "HF", "BB", "IM_calc")
                    .containsPattern("HF\\s+1/1")
                    .containsPattern("LF\\s+0/1")
                    .containsPattern("IM_calc\\s+0/1");
            assertThat(text(driver, "jobs"))
                    .contains("local 0 0 1", SLOW + ".LF.1", DONE_1 + ".IM_calc.1", "running", "succeeded");
            assertThat(text(driver, "transfers")).contains(MOVING, "%");
            assertThat(text(driver, "supervisions"))
                    .contains(DONE_1 + ".BB.1", DONE_2 + ".HF.1", "escalated", "dispatched", "ssh: connection refused");
            assertThat(text(driver, "alerts"))
                    .contains(DONE_1 + ".BB.1", "escalated")
                    .doesNotContain("dispatched");
            assertThat(text(driver, "updated")).startsWith("updated ");
            // one bar a step, coloured by state: LF's is running, HF's succeeded, BB's and IM_calc's empty
            assertThat(driver.findElements(By.cssSelector("#pipelines .bar"))).hasSize(4);
            assertThat(driver.findElements(By.cssSelector("#pipelines .bar .fill.busy")))
                    .hasSize(1);
            assertThat(driver.findElements(By.cssSelector("#pipelines .bar .fill.good")))
                    .hasSize(1);
            assertThat(driver.findElements(By.cssSelector("#transfers .bar"))).hasSize(1);

            screenshot(
                    driver,
                    ((Number) ((JavascriptExecutor) driver).executeScript("return window.innerHeight")).intValue());

            // live: a new run appears without reloading the page
            String before = driver.findElement(By.id("updated")).getAttribute("data-generated-at");
            db.ondeck(SLOW_2, "local", "slowshake");
            wait.until(
                    d -> text(d, "runs").contains("6 runs") && text(d, "runs").contains("ondeck 4"));
            wait.until(d -> text(d, "pipelines").contains(SLOW_2)
                    && text(d, "pipelines").contains("2 runs"));
            assertThat(driver.findElement(By.id("updated")).getAttribute("data-generated-at"))
                    .isGreaterThan(before);
            assertThat(driver.findElement(By.id("token")).getAttribute("value")).isEmpty();
        } finally {
            driver.quit();
        }
    }

    /** Saves the screenshot to target/status-page.png and checks that it is a real picture of the page's viewport. */
    private static void screenshot(WebDriver driver, int viewportHeight) throws Exception {
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Path saved = Path.of("target", "status-page.png");
        Files.createDirectories(saved.getParent());
        Files.copy(shot.toPath(), saved, StandardCopyOption.REPLACE_EXISTING);
        BufferedImage image = ImageIO.read(saved.toFile());
        assertThat(image).as("a PNG").isNotNull();
        assertThat(image.getWidth()).isEqualTo(WIDTH);
        // headless Chromium keeps room for browser controls it does not draw: the viewport is a little shorter
        assertThat(image.getHeight()).isEqualTo(viewportHeight).isBetween(HEIGHT - 200, HEIGHT);
        Map<Integer, Integer> colours = new HashMap<>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                colours.merge(image.getRGB(x, y), 1, Integer::sum);
            }
        }
        int pixels = (image.getWidth() / 2) * (image.getHeight() / 2);
        assertThat(colours.size()).as("distinct colours").isGreaterThan(50);
        assertThat(colours.values().stream().mapToInt(Integer::intValue).max().orElse(0))
                .as("pixels of the commonest colour")
                .isLessThan(pixels * 9 / 10);
    }

    private static String text(WebDriver driver, String id) {
        return driver.findElement(By.id(id)).getText().replaceAll("[ \\t]+", " ");
    }

    private static void awaitSlowRunHalfWay(String run) {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> "processing".equals(db.value("SELECT processed_status FROM runs WHERE name = ?", run))
                        && db.column(
                                        "SELECT step || ' ' || state FROM jobs WHERE scheduler_job_name LIKE ? ORDER BY id",
                                        run + ".%")
                                .equals(List.of("LF running", "HF succeeded", "BB pending", "IM_calc pending")));
    }

    private static boolean transferring(String run) throws Exception {
        JsonNode running =
                JSON.readTree(get("/api/status", TOKEN).body()).get("transfers").get("running");
        return running.size() == 1 && running.get(0).get("run").asText().equals(run);
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(router.url(path)))
                .timeout(Duration.ofSeconds(10))
                .GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int count(String sql) throws Exception {
        return Integer.parseInt(db.value(sql));
    }

    private static Map<String, Integer> counts(JsonNode object) {
        Map<String, Integer> counts = new HashMap<>();
        object.fields()
                .forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asInt()));
        return counts;
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode item : array) {
            if (item.path(field).asText().equals(value)) {
                return item;
            }
        }
        throw new AssertionError("no " + field + " = " + value + " in " + array);
    }

    private static Map<String, Integer> step(JsonNode pipeline, String name) {
        return counts(find(pipeline.get("steps"), "step", name));
    }
}
