package io.automatix.hygiene;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.automatix.testing.TestServices;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The router refuses root unless told, and runs as an unprivileged service user. */
class ServiceUserIT {

    private static final Path JAR = TestServices.PROJECT.resolve("target/automatix.jar");

    @Test
    void asRootWithoutAllowRootTheJarExitsTwoSayingWhatToDo() throws Exception {
        assertThat(new String(new ProcessBuilder("id", "-u")
                                .start()
                                .getInputStream()
                                .readAllBytes())
                        .strip())
                .as("this test runs as root (as CI does)")
                .isEqualTo("0");
        Path work = Files.createTempDirectory("root-refused");
        for (List<String> args : List.of(List.<String>of(), List.of("router"))) {
            List<String> command = new ArrayList<>(List.of("java", "-Dautomatix.data-dir=" + work.resolve("data")));
            command.addAll(List.of("-jar", JAR.toString()));
            command.addAll(args);
            Process p = builder(command, work).start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String output = new String(p.getInputStream().readAllBytes());
            assertThat(p.exitValue()).as(output).isEqualTo(2);
            assertThat(output)
                    .contains("automatix: refusing to run as root")
                    .contains("dedicated service user")
                    .contains("--allow-root")
                    .contains("automatix.allow-root = true");
            // refused before anything was started: no embedded database, nothing listening
            assertThat(work.resolve("data/postgres")).doesNotExist();
        }
    }

    @Test
    void asAnUnprivilegedUserTheRouterStarts() throws Exception {
        String database = TestServices.createDatabase();
        String vhost = TestServices.createVirtualHost();
        Path work = TestServices.sharedDirectory("service-user", true);
        int port = TestServices.freePort();
        List<String> command = new ArrayList<>(List.of("runuser", "-u", TestServices.SSH_USER, "--", "java"));
        Map<String, String> settings =
                TestServices.routerSettings(database, vhost, "service-user", work.resolve("data"));
        settings.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(
                List.of("-Dcamel.server.port=" + port, "-Dcamel.management.port=" + port, "-jar", JAR.toString()));
        Path log = work.resolve("router.log");
        Process p = builder(command, work).redirectOutput(log.toFile()).start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        assertThat(p.isAlive()).as(Files.readString(log)).isTrue();
                        try {
                            return http.send(
                                                    HttpRequest.newBuilder(URI.create(
                                                                    "http://127.0.0.1:" + port + "/observe/health"))
                                                            .build(),
                                                    HttpResponse.BodyHandlers.ofString())
                                            .statusCode()
                                    == 200;
                        } catch (java.io.IOException e) {
                            return false;
                        }
                    });
            assertThat(Files.readString(log)).doesNotContain("refusing to run as root");
        } finally {
            p.destroy();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            TestServices.dropDatabase(database);
            TestServices.deleteVirtualHost(vhost);
        }
    }

    private static ProcessBuilder builder(List<String> command, Path work) throws Exception {
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxrwxrwx"));
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true);
        builder.environment().put("AUTOMATIX_HOME", TestServices.PROJECT.toString());
        return builder;
    }
}
