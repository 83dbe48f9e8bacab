package io.automatix.testing;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The built jar run as a separate process, as a user runs it. */
public final class RouterProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final int httpPort;
    private final long startMillis;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** Where the token is when no users are configured: the one the router made on its first start. */
    private final Path tokenFile;

    private RouterProcess(Process process, Path log, int httpPort, long startMillis, Path tokenFile) {
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
        this.startMillis = startMillis;
        this.tokenFile = tokenFile;
    }

    private String token() throws IOException {
        if (tokenFile == null) {
            return TestServices.API_TOKEN;
        }
        return Files.exists(tokenFile) ? Files.readString(tokenFile).strip() : "";
    }

    /** Starts the jar in {@code workDir} with {@code -D} settings and waits until it is healthy. */
    public static RouterProcess start(Path workDir, String logName, Map<String, String> settings) throws Exception {
        return start(workDir, logName, settings, false);
    }

    /**
     * The same jar with the test classes on its class path, for test wiring that camel-main binds
     * from a setting ({@code camel.beans.<name> = #class:<a test class>}), such as a fault to inject.
     */
    public static RouterProcess startWithTestClasses(Path workDir, String logName, Map<String, String> settings)
            throws Exception {
        return start(workDir, logName, settings, true);
    }

    private static RouterProcess start(Path workDir, String logName, Map<String, String> settings, boolean testClasses)
            throws Exception {
        Path jar = Path.of(System.getProperty("automatix.jar", "target/automatix.jar"))
                .toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError("no " + jar + ": mvn package builds it before the integration tests");
        }
        int httpPort = TestServices.freePort();
        List<String> command = new ArrayList<>(
                List.of("java", "-Dcamel.server.port=" + httpPort, "-Dcamel.management.port=" + httpPort));
        settings.forEach((k, v) -> command.add("-D" + k + "=" + v));
        if (testClasses) {
            Path classes = Path.of(RouterProcess.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            command.addAll(List.of("-cp", jar + File.pathSeparator + classes, "io.automatix.Automatix"));
        } else {
            command.addAll(List.of("-jar", jar.toString()));
        }
        // the tests run as root on CI; ServiceUserIT checks the refusal itself
        command.add("--allow-root");
        Path log = workDir.resolve(logName);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putIfAbsent("AUTOMATIX_HOME", TestServices.PROJECT.toString());
        long started = System.nanoTime();
        Path tokenFile = settings.containsKey("automatix.api.users")
                ? null
                : workDir.resolve(settings.getOrDefault("automatix.data-dir", "data"))
                        .resolve("api-token");
        RouterProcess router = new RouterProcess(builder.start(), log, httpPort, 0, tokenFile);
        try {
            router.awaitStatus("/observe/health", 200, Duration.ofSeconds(60));
        } catch (AssertionError e) {
            router.process.destroyForcibly();
            throw new AssertionError(e.getMessage() + "\n--- router log ---\n" + Files.readString(log), e);
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        System.out.printf("RouterProcess: %s healthy %d ms after start%n", logName, millis);
        return new RouterProcess(router.process, log, httpPort, millis, tokenFile);
    }

    public long startMillis() {
        return startMillis;
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    public long pid() {
        return process.pid();
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                        .header("Authorization", "Bearer " + token())
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                        .header("Authorization", "Bearer " + token())
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(5))
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Waits until GET path answers 200 with a body containing the text. */
    public void awaitBody(String path, String text, Duration timeout) throws InterruptedException {
        await(path, r -> r.statusCode() == 200 && r.body().contains(text), "show " + text, timeout);
    }

    public void awaitStatus(String path, int status, Duration timeout) throws InterruptedException {
        await(path, r -> r.statusCode() == status, "answer " + status, timeout);
    }

    private void await(
            String path, java.util.function.Predicate<HttpResponse<String>> done, String what, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("router exited with " + process.exitValue() + " while waiting for " + path);
            }
            try {
                HttpResponse<String> r = get(path);
                if (done.test(r)) {
                    return;
                }
                last = r.statusCode() + " " + r.body();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(200);
        }
        throw new AssertionError(path + " did not " + what + " within " + timeout + ": " + last);
    }

    /** Waits for the router to exit by itself; returns its exit status. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("router still running after " + timeout);
        }
        return process.exitValue();
    }

    /** SIGKILL: the router dies wherever it is. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, as Ctrl-C or a service manager would send, and wait for a clean exit. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("router did not stop within 60 s of SIGTERM");
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }

    public static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
