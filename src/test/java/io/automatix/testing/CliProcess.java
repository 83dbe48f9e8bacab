package io.automatix.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The CLI (the built jar, as a person runs it) against a router's API, with what it is typed on stdin. */
public final class CliProcess {

    /** What one command did. */
    public record Result(int exit, String out, String err) {}

    private CliProcess() {}

    public static Result run(String url, Map<String, String> env, String stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                "java",
                "-jar",
                TestServices.PROJECT.resolve("target/automatix.jar").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("AUTOMATIX_URL", url);
        builder.environment().put("AUTOMATIX_TOKEN", TestServices.API_TOKEN);
        builder.environment().putAll(env);
        Path out = Files.createTempFile("cli", ".out");
        Path err = Files.createTempFile("cli", ".err");
        Path in = Files.createTempFile("cli", ".in");
        Files.writeString(in, stdin == null ? "" : stdin + "\n");
        Process p = builder.redirectInput(in.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("automatix " + String.join(" ", args) + " did not end within 120 s");
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
