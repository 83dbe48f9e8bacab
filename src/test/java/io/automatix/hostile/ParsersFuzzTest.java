package io.automatix.hostile;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.automatix.process.JobStatusMessage;
import io.automatix.process.Pipeline;
import io.automatix.process.PipelineError;
import io.automatix.process.PipelineParser;
import io.automatix.run.InvalidInputException;
import io.automatix.run.RunRequest;
import io.automatix.run.RunRequestParser;
import io.automatix.scheduler.JobStatus;
import io.automatix.workflow.Wdf;
import io.automatix.workflow.WdfError;
import io.automatix.workflow.WdfParser;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz tests of everything that reads outside input: run offers, job status messages, pipeline
 * files and workflow description files. The property of each: the reader returns a value that keeps
 * its promises (names in their alphabet, paths without '..'), or throws its documented error type
 * with a usable message, never anything else (no NullPointerException, StackOverflowError,
 * ClassCastException, ArithmeticException...), and never takes long.
 *
 * <p>Plain {@code mvn test} runs each target on its seeds: the hostile corpus in
 * {@code src/test/resources/hostile/} (and the shipped pipelines and workflows). Jazzer fuzzes only
 * when the environment variable {@code JAZZER_FUZZ} is set, and then only one fuzz test per JVM, so
 * {@link #fuzzEachTargetForABoundedTime()} starts one JVM per target with {@code JAZZER_FUZZ=1}, each
 * fuzzing for its {@code maxDuration} (30 s: about 2 minutes in all). {@code -Dautomatix.fuzz=false}
 * skips that; {@code JAZZER_FUZZ=1 mvn test -Dtest='ParsersFuzzTest#wdf'} fuzzes one target by hand.
 */
class ParsersFuzzTest {

    /** The project directory (a fuzzing child runs elsewhere and is told it). */
    private static final Path PROJECT =
            Path.of(System.getProperty("automatix.project", System.getProperty("user.dir")));

    private static final Path CORPUS = PROJECT.resolve("src/test/resources/hostile");
    private static final long LIMIT_MS = 5_000;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    private static final Pattern SAFE_PATH = Pattern.compile("/[A-Za-z0-9._/+@=,-]*");
    private static final Pattern LOCATED = Pattern.compile("fuzz\\.yaml:\\d+: .+", Pattern.DOTALL);
    private static final List<String> TARGETS = List.of("runOffer", "statusMessage", "pipeline", "wdf");

    private static final RunRequestParser RUNS = new RunRequestParser("local"::equals);
    private static final PipelineParser PIPELINES =
            new PipelineParser(t -> t.equals("fulliautomatix/process.sh.ftl") || t.equals("cybershake/step.sh.ftl"));
    private static final WdfParser WDFS = new WdfParser(
            t -> t.equals("cybershake/step.sh.ftl"),
            "flash"::equals,
            l -> l.equals("standby") || l.equals("gpu_module"));

    // --- run offers ----------------------------------------------------------------------------------

    static Stream<byte[]> runSeeds() throws IOException {
        return files("runs", ".json");
    }

    @org.junit.jupiter.params.provider.MethodSource("runSeeds")
    @FuzzTest(maxDuration = "30s")
    void runOffer(byte[] body) {
        bounded(() -> {
            RunRequest run;
            try {
                run = RUNS.parse(body);
            } catch (InvalidInputException e) {
                assertThat(e).hasSameClassAs(new InvalidInputException(null, "x"));
                assertThat(e.getMessage()).isNotBlank();
                return;
            }
            assertThat(run.name()).matches(NAME);
            if (run.sourcePath() != null) {
                assertThat(run.sourcePath()).matches(SAFE_PATH);
                assertThat(run.sourcePath() + "/").doesNotContain("/../");
            }
            for (String value : new String[] {run.pipeline(), run.cluster()}) {
                if (value != null) {
                    assertThat(value).matches(NAME);
                }
            }
            assertThat(run.metadata()).isNotNull();
            assertThat(run.metadata().toString()).doesNotContain("\u0000");
        });
    }

    // --- job status messages -------------------------------------------------------------------------

    static Stream<byte[]> statusSeeds() throws IOException {
        return files("status", ".json")
                .map(b -> new String(b, StandardCharsets.ISO_8859_1)
                        .replace("@JOB@", "run_1.process.1")
                        .getBytes(StandardCharsets.ISO_8859_1));
    }

    @org.junit.jupiter.params.provider.MethodSource("statusSeeds")
    @FuzzTest(maxDuration = "30s")
    void statusMessage(byte[] body) {
        bounded(() -> {
            JobStatus status;
            try {
                status = JobStatusMessage.decode(body);
            } catch (IllegalArgumentException e) {
                // exactly the decoder's refusal, not a NumberFormatException or the like from inside
                assertThat(e.getClass()).isEqualTo(IllegalArgumentException.class);
                assertThat(e.getMessage()).isNotBlank();
                return;
            }
            assertThat(status.job()).matches("[A-Za-z0-9_][A-Za-z0-9._-]{0,299}");
            assertThat(status.event()).isIn(JobStatus.Event.STARTED, JobStatus.Event.FINISHED);
            if (status.event() == JobStatus.Event.FINISHED) {
                assertThat(status.exitCode()).isBetween(0, 255);
            }
            if (status.schedulerJobId() != null) {
                assertThat(status.schedulerJobId()).matches("[0-9][0-9_.]{0,63}");
            }
        });
    }

    // --- pipeline files --------------------------------------------------------------------------------

    static Stream<byte[]> pipelineSeeds() throws IOException {
        return Stream.concat(files("pipelines", ".yaml"), shipped("pipelines"));
    }

    @org.junit.jupiter.params.provider.MethodSource("pipelineSeeds")
    @FuzzTest(maxDuration = "30s")
    void pipeline(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        bounded(() -> {
            Pipeline p;
            try {
                p = PIPELINES.parse("fuzz.yaml", "fuzz", text);
            } catch (PipelineError e) {
                assertThat(e.getMessage()).matches(LOCATED);
                return;
            }
            assertThat(p.name()).matches(NAME);
            assertThat(p.steps()).isNotEmpty();
            p.steps().forEach(s -> {
                assertThat(s.name()).matches(NAME);
                assertThat(s.walltime()).isNotNull();
            });
        });
    }

    // --- workflow description files ------------------------------------------------------------------

    /** A WDF input: {@code NAME=value} lines (the variables), a NUL byte, the WDF's text; lenient if the first byte is odd. */
    static Stream<byte[]> wdfSeeds() throws IOException {
        byte[] vars = "SESSION=fuzz\nNS=ns1\nSECONDS=8\u0000".getBytes(StandardCharsets.UTF_8);
        return Stream.concat(files("wdf", ".yaml"), shipped("workflows")).flatMap(text -> {
            byte[] lenient = new byte[vars.length + text.length];
            System.arraycopy(vars, 0, lenient, 0, vars.length);
            System.arraycopy(text, 0, lenient, vars.length, text.length);
            byte[] strict = lenient.clone();
            strict[0] = 'R'; // even: strict ('S' is odd)
            return Stream.of(lenient, strict);
        });
    }

    @org.junit.jupiter.params.provider.MethodSource("wdfSeeds")
    @FuzzTest(maxDuration = "30s")
    void wdf(byte[] input) {
        String all = new String(input, StandardCharsets.UTF_8);
        int nul = all.indexOf('\u0000');
        Map<String, String> variables = new LinkedHashMap<>();
        String text = all;
        if (nul >= 0) {
            for (String line : all.substring(0, nul).split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    variables.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            text = all.substring(nul + 1);
        }
        boolean lenient = input.length > 0 && (input[0] & 1) == 1;
        String wdfText = text;
        bounded(() -> {
            Wdf wdf;
            try {
                wdf = WDFS.parse("fuzz.yaml", wdfText, variables, lenient);
            } catch (WdfError e) {
                assertThat(e.errors())
                        .isNotEmpty()
                        .allSatisfy(m -> assertThat(m).matches(LOCATED));
                return;
            }
            assertThat(wdf.name()).matches(NAME);
            assertThat(wdf.steps()).isNotEmpty();
        });
    }

    // --- bounded fuzzing in CI -----------------------------------------------------------------------

    /**
     * Fuzzes each target for its maxDuration, each in a JVM of its own started with
     * {@code JAZZER_FUZZ=1} (Jazzer fuzzes one test per JVM), and fails on any finding. The executions
     * libFuzzer reports are printed, one line per target.
     */
    @Test
    void fuzzEachTargetForABoundedTime() throws Exception {
        if (System.getenv("JAZZER_FUZZ") != null
                || !Boolean.parseBoolean(System.getProperty("automatix.fuzz", "true"))) {
            return; // already fuzzing (a child, or by hand), or asked not to
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path work = PROJECT.resolve("target/jazzer");
        Files.createDirectories(work);
        List<String> summaries = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (String target : TARGETS) {
            Path dir = Files.createDirectories(work.resolve(target));
            Path log = work.resolve(target + ".log");
            ProcessBuilder pb = new ProcessBuilder(
                            java.toString(),
                            "-Xss1m",
                            "-Dautomatix.project=" + PROJECT,
                            "-Djazzer.instrument=io.automatix.**,org.snakeyaml.engine.**,com.fasterxml.jackson.core.**",
                            "-cp",
                            System.getProperty("java.class.path"),
                            Launch.class.getName(),
                            ParsersFuzzTest.class.getName(),
                            target)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().put("JAZZER_FUZZ", "1");
            long start = System.nanoTime();
            Process p = pb.start();
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                failures.add(target + ": still fuzzing after 180 s (see " + log + ")");
                continue;
            }
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            String output = Files.readString(log, StandardCharsets.ISO_8859_1);
            String summary = "fuzz target " + target + ": " + executions(output) + " in " + seconds + " s (JVM exit "
                    + p.exitValue() + ")";
            System.out.println(summary);
            summaries.add(summary);
            if (p.exitValue() != 0
                    || output.contains("== Java Exception")
                    || output.contains("FuzzTestFindingException")) {
                failures.add(target + ": finding or failure (see " + log + "):\n" + tail(output, 60));
            }
        }
        Files.write(work.resolve("summary.txt"), summaries);
        assertThat(failures).as("fuzzing findings").isEmpty();
    }

    /** libFuzzer's final count ("Done 12345 runs in 30 second(s)"), or its last status line. */
    private static String executions(String output) {
        Matcher done = Pattern.compile("Done (\\d+) runs in (\\d+) second").matcher(output);
        String result = null;
        while (done.find()) {
            result = done.group(1) + " executions (libFuzzer: " + done.group(2) + " s of fuzzing)";
        }
        if (result != null) {
            return result;
        }
        Matcher status =
                Pattern.compile("#(\\d+)\\s+(?:DONE|pulse|NEW|REDUCE)[^\\n]*").matcher(output);
        while (status.find()) {
            result = status.group(1) + " executions (last: " + status.group().strip() + ")";
        }
        return result == null ? "executions not reported" : result;
    }

    private static String tail(String text, int lines) {
        String[] all = text.split("\n");
        return String.join("\n", java.util.Arrays.asList(all).subList(Math.max(0, all.length - lines), all.length));
    }

    /**
     * Runs one test method on the JUnit Platform (found on the test class path; reflection, since the
     * launcher API is not a compile dependency) and exits 0 when it passed.
     */
    public static final class Launch {
        public static void main(String[] args) throws Exception {
            Class<?> selectors = Class.forName("org.junit.platform.engine.discovery.DiscoverySelectors");
            Object selector = selectors
                    .getMethod("selectMethod", String.class, String.class, String.class)
                    .invoke(null, args[0], args[1], "byte[]");
            Class<?> builderType = Class.forName("org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder");
            Object builder = builderType.getMethod("request").invoke(null);
            Object selectorArray = Array.newInstance(Class.forName("org.junit.platform.engine.DiscoverySelector"), 1);
            Array.set(selectorArray, 0, selector);
            builderType.getMethod("selectors", selectorArray.getClass()).invoke(builder, selectorArray);
            Object request = builderType.getMethod("build").invoke(builder);
            Class<?> launcherType = Class.forName("org.junit.platform.launcher.Launcher");
            Object launcher = Class.forName("org.junit.platform.launcher.core.LauncherFactory")
                    .getMethod("create")
                    .invoke(null);
            Class<?> listenerType = Class.forName("org.junit.platform.launcher.TestExecutionListener");
            Object listener = Class.forName("org.junit.platform.launcher.listeners.SummaryGeneratingListener")
                    .getConstructor()
                    .newInstance();
            Object listeners = Array.newInstance(listenerType, 1);
            Array.set(listeners, 0, listener);
            launcherType
                    .getMethod(
                            "execute",
                            Class.forName("org.junit.platform.launcher.LauncherDiscoveryRequest"),
                            listeners.getClass())
                    .invoke(launcher, request, listeners);
            Object summary = listener.getClass().getMethod("getSummary").invoke(listener);
            Class<?> summaryType = Class.forName("org.junit.platform.launcher.listeners.TestExecutionSummary");
            PrintWriter out = new PrintWriter(System.out, true);
            summaryType.getMethod("printTo", PrintWriter.class).invoke(summary, out);
            summaryType
                    .getMethod("printFailuresTo", PrintWriter.class, int.class)
                    .invoke(summary, out, 40);
            long failed = (long) summaryType.getMethod("getTotalFailureCount").invoke(summary);
            long passed = (long) summaryType.getMethod("getTestsSucceededCount").invoke(summary);
            out.flush();
            System.exit(failed == 0 && passed > 0 ? 0 : 1);
        }
    }

    // --- helpers -------------------------------------------------------------------------------------

    /**
     * Runs a check, failing if it takes longer than {@link #LIMIT_MS}. A slow first run is run again
     * and only the second counts: loading and instrumenting the parser's classes is paid once.
     */
    private static void bounded(Runnable check) {
        long ms = timed(check);
        if (ms >= LIMIT_MS) {
            ms = timed(check);
        }
        assertThat(ms).as("time taken (ms)").isLessThan(LIMIT_MS);
    }

    private static long timed(Runnable check) {
        long start = System.nanoTime();
        check.run();
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    private static Stream<byte[]> files(String group, String suffix) throws IOException {
        try (Stream<Path> list = Files.list(CORPUS.resolve(group))) {
            List<byte[]> contents = new ArrayList<>();
            for (Path p : list.filter(f -> f.getFileName().toString().endsWith(suffix))
                    .sorted()
                    .toList()) {
                contents.add(Files.readAllBytes(p));
            }
            return contents.stream();
        }
    }

    private static Stream<byte[]> shipped(String directory) throws IOException {
        try (Stream<Path> list = Files.list(PROJECT.resolve(directory))) {
            List<byte[]> contents = new ArrayList<>();
            for (Path p :
                    list.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                contents.add(Files.readAllBytes(p));
            }
            return contents.stream();
        }
    }
}
