package io.automatix.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.automatix.hawtio.HawtioConsole;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code automatix <command>}: the router itself ({@code router}, the default) and the commands
 * that act on a running router through its REST API. Errors are one line on stderr and exit 1.
 */
@Command(
        name = "automatix",
        mixinStandardHelpOptions = true,
        version = "automatix 1",
        description = "Runs and operates the Automatix router.",
        subcommands = {
            AutomatixCli.Router.class,
            AutomatixCli.Once.class,
            AutomatixCli.Status.class,
            AutomatixCli.Runs.class,
            AutomatixCli.Restore.class,
            Workflow.class,
            Doctor.class,
            Login.class,
            Login.Logout.class,
            Tokens.class,
            AutomatixCli.Hawtio.class
        })
public final class AutomatixCli {

    static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--url", description = "The router's API (default: $AUTOMATIX_URL or http://127.0.0.1:8080)")
    String url = System.getenv().getOrDefault("AUTOMATIX_URL", "http://127.0.0.1:8080");

    @Option(
            names = "--token",
            description = "API token (visible to other users in ps: prefer $AUTOMATIX_TOKEN or --token-file)")
    String token;

    @Option(
            names = "--token-file",
            description = "File holding the API token (default: $AUTOMATIX_TOKEN_FILE, or data/api-token)")
    Path tokenFile;

    @Option(
            names = "--ca",
            description =
                    "PEM file of the CA (or the router's own certificate) to trust for https:// (default: $AUTOMATIX_CA)")
    Path ca;

    /** Starts the router (main owns the router's startup); the flag lets it run as root. */
    public interface RouterStarter {
        int start(boolean allowRoot) throws Exception;
    }

    static RouterStarter routerStarter;

    /** @return the exit status */
    public static int run(String[] args, RouterStarter router) {
        routerStarter = router;
        CommandLine cli = new CommandLine(new AutomatixCli());
        CliRoles.describe(cli);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            String message =
                    e instanceof CliError ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
            commandLine.getErr().println("automatix: " + message);
            return 1;
        });
        return cli.execute(args);
    }

    ApiClient api() throws IOException {
        return new ApiClient(url, ApiClient.token(token, tokenFile, home()), ApiClient.trusted(ca));
    }

    static Path home() {
        String home = System.getProperty("automatix.home", System.getenv("AUTOMATIX_HOME"));
        return Path.of(home == null || home.isBlank() ? "." : home);
    }

    static void print(JsonNode node) throws IOException {
        System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
    }

    @Command(name = "router", mixinStandardHelpOptions = true, description = "Run the router (the default command).")
    static final class Router implements Callable<Integer> {
        @Option(
                names = "--allow-root",
                description = "Run even as root (better: run as a dedicated service user; automatix.allow-root)")
        boolean allowRoot;

        @Override
        public Integer call() throws Exception {
            return routerStarter.start(allowRoot);
        }
    }

    @Command(
            name = "once",
            mixinStandardHelpOptions = true,
            description =
                    "One pass of the flows and exit, for cron (Fulliautomatix's flags; through the running router).")
    static final class Once implements Callable<Integer> {
        @ParentCommand
        AutomatixCli top;

        @Option(names = "--transfer", description = "Transfer data from the acquisition hosts to the cluster")
        boolean transfer;

        @Option(names = "--process", description = "Process data")
        boolean process;

        @Option(names = "--reprocess", arity = "1..*", paramLabel = "RUN", description = "Reprocess the given runs")
        List<String> reprocess;

        @Option(names = "--run", arity = "1..*", paramLabel = "RUN", description = "Report only these runs")
        List<String> runs;

        @Option(
                names = {"--dry-run", "--dry_run"},
                description = "Show what would be done, do nothing")
        boolean dryRun;

        @Option(names = "--cluster", paramLabel = "NAME", description = "Report only this cluster's runs")
        String cluster;

        @Option(
                names = "--log",
                paramLabel = "LEVEL",
                description = "debug, info, warning, error or critical (client side)")
        String log = "info";

        @Override
        public Integer call() throws Exception {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("transfer", transfer);
            request.put("process", process);
            request.put("dry_run", dryRun);
            if (reprocess != null) {
                request.put("reprocess", reprocess);
            }
            JsonNode result = top.api().post("/api/actions/once", request);
            if (runs != null || cluster != null) {
                result = filter(result);
            }
            if (!log.equals("error") && !log.equals("critical")) {
                print(result);
            }
            return 0;
        }

        /** Keeps the listed runs and cluster only, wherever a report lists runs. */
        private JsonNode filter(JsonNode node) {
            if (node.isArray()) {
                var out = JSON.createArrayNode();
                node.forEach(n -> {
                    String name = n.isTextual()
                            ? n.asText()
                            : n.path("name").asText(n.path("run").asText(null));
                    boolean runOk = runs == null || runs.contains(name);
                    boolean clusterOk = cluster == null
                            || !n.has("cluster")
                            || cluster.equals(n.path("cluster").asText());
                    if (runOk && clusterOk) {
                        out.add(n.isContainerNode() ? filter(n) : n);
                    }
                });
                return out;
            }
            if (node.isObject()) {
                var out = JSON.createObjectNode();
                node.fields().forEachRemaining(e -> out.set(e.getKey(), filter(e.getValue())));
                return out;
            }
            return node;
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = "Runs by status, jobs in flight, transfers with progress, recent supervisions.")
    static final class Status implements Callable<Integer> {
        @ParentCommand
        AutomatixCli top;

        @Option(names = "--run", paramLabel = "RUN", description = "One run: its states, jobs and events")
        String run;

        @Option(names = "--watch", description = "Refresh every 2 s until interrupted")
        boolean watch;

        @Override
        public Integer call() throws Exception {
            ApiClient api = top.api();
            do {
                if (watch) {
                    System.out.print("\033[H\033[2J");
                }
                if (run != null) {
                    print(api.get("/api/runs/" + ApiClient.encode(run)));
                } else {
                    summary(api, new PrintWriter(System.out, true));
                }
                if (watch) {
                    Thread.sleep(2000);
                }
            } while (watch);
            return 0;
        }

        /** The status page's report (GET /api/status), as text. */
        static void summary(ApiClient api, PrintWriter out) throws Exception {
            JsonNode report = api.get("/api/status");
            out.println(
                    "Runs      " + report.at("/runs/total").asInt() + "  raw: " + counts(report.at("/runs/raw_status"))
                            + "  processed: " + counts(report.at("/runs/processed_status")));
            StringBuilder jobs = new StringBuilder();
            for (JsonNode c : report.at("/jobs/in_flight")) {
                jobs.append(String.format(
                        "  %s: %d submitting, %d queued, %d running",
                        c.path("cluster").asText(),
                        c.path("submitting").asInt(),
                        c.path("queued").asInt(),
                        c.path("running").asInt()));
            }
            out.println("Jobs      in flight:" + (jobs.length() == 0 ? " none" : jobs));
            JsonNode running = report.at("/transfers/running");
            out.println("Transfers " + (running.size() == 0 ? "none running" : running.size() + " running"));
            for (JsonNode t : running) {
                double fraction = t.path("percent").asDouble(0) / 100;
                int filled = (int) Math.round(fraction * 30);
                out.printf(
                        "  %-24s [%s%s] %5.1f%%  ETA %s%n",
                        t.path("run").asText(),
                        "#".repeat(filled),
                        ".".repeat(30 - filled),
                        fraction * 100,
                        t.path("eta").asText("?"));
            }
            out.println("Supervisions (latest; " + report.path("alerts").size() + " alert(s))");
            int shown = 0;
            for (JsonNode s : report.path("supervisions")) {
                if (shown++ == 5) {
                    break;
                }
                out.printf(
                        "  %-30s %-6s %-11s %s%n",
                        s.path("job").asText(),
                        s.path("trigger").asText(),
                        s.path("dispatch_status").asText(),
                        // a stuck job's supervision runs nothing: how it closed, if it has
                        s.path("execution_status").asText(s.path("closed_as").asText("")));
            }
        }

        private static String counts(JsonNode byStatus) {
            StringBuilder text = new StringBuilder();
            byStatus.fields()
                    .forEachRemaining(e -> text.append(text.length() == 0 ? "" : ", ")
                            .append(e.getKey())
                            .append('=')
                            .append(e.getValue().asInt()));
            return text.length() == 0 ? "none" : text.toString();
        }
    }

    @Command(
            name = "runs",
            mixinStandardHelpOptions = true,
            description = "Add, show, reprocess or cancel runs.",
            subcommands = {Runs.Add.class, Runs.Show.class, Runs.Reprocess.class, Runs.Cancel.class})
    static final class Runs {
        @ParentCommand
        AutomatixCli top;

        @Command(name = "add", mixinStandardHelpOptions = true, description = "Offer a run (idempotent on its name).")
        static final class Add implements Callable<Integer> {
            @ParentCommand
            Runs runs;

            @Parameters(paramLabel = "RUN")
            String name;

            @Option(names = "--source-host")
            String sourceHost;

            @Option(names = "--source-path")
            String sourcePath;

            @Option(names = "--pipeline")
            String pipeline;

            @Option(names = "--cluster")
            String cluster;

            @Override
            public Integer call() throws Exception {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("name", name);
                if (sourceHost != null) {
                    body.put("source_host", sourceHost);
                }
                if (sourcePath != null) {
                    body.put("source_path", sourcePath);
                }
                if (pipeline != null) {
                    body.put("pipeline", pipeline);
                }
                if (cluster != null) {
                    body.put("cluster", cluster);
                }
                print(runs.top.api().post("/api/runs", body));
                return 0;
            }
        }

        @Command(name = "show", mixinStandardHelpOptions = true, description = "A run with its jobs and events.")
        static final class Show implements Callable<Integer> {
            @ParentCommand
            Runs runs;

            @Parameters(paramLabel = "RUN")
            String name;

            @Override
            public Integer call() throws Exception {
                print(runs.top.api().get("/api/runs/" + ApiClient.encode(name)));
                return 0;
            }
        }

        /** An action on each named run: POST /api/runs/{name}/{action}. */
        abstract static class RunAction implements Callable<Integer> {
            @ParentCommand
            Runs runs;

            @Parameters(paramLabel = "RUN", arity = "1..*")
            List<String> names;

            private final String action;

            RunAction(String action) {
                this.action = action;
            }

            @Override
            public Integer call() throws Exception {
                for (String name : names) {
                    print(runs.top.api().post("/api/runs/" + ApiClient.encode(name) + "/" + action, Map.of()));
                }
                return 0;
            }
        }

        @Command(
                name = "reprocess",
                mixinStandardHelpOptions = true,
                description = "Process processed or failed runs again.")
        static final class Reprocess extends RunAction {
            Reprocess() {
                super("reprocess");
            }
        }

        @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel runs' jobs and fail them.")
        static final class Cancel extends RunAction {
            Cancel() {
                super("cancel");
            }
        }
    }

    @Command(
            name = "restore",
            mixinStandardHelpOptions = true,
            description = "Bring an archived run back from the object store into a directory of the router's host.")
    static final class Restore implements Callable<Integer> {
        @ParentCommand
        AutomatixCli top;

        @Parameters(paramLabel = "RUN")
        String name;

        @Option(
                names = "--to",
                paramLabel = "DIR",
                description = "Target directory, under the router's automatix.archive.restore-roots"
                        + " (default: the first of them)")
        Path to;

        @Override
        public Integer call() throws Exception {
            Map<String, Object> body = to == null
                    ? Map.of()
                    : Map.of("directory", to.toAbsolutePath().normalize().toString());
            print(top.api().post("/api/runs/" + ApiClient.encode(name) + "/restore", body));
            return 0;
        }
    }

    @Command(
            name = "hawtio",
            mixinStandardHelpOptions = true,
            description = "Start the Hawtio console (its own process, with a login) connected to the router's Jolokia; "
                    + "then open http://127.0.0.1:<port>/.")
    static final class Hawtio implements Callable<Integer> {
        @Option(names = "--port", description = "The console's port (default ${DEFAULT-VALUE})")
        int port = HawtioConsole.DEFAULT_PORT;

        @Option(names = "--router-port", description = "The router's management port (default ${DEFAULT-VALUE})")
        int routerPort = HawtioConsole.DEFAULT_ROUTER_PORT;

        @Option(
                names = "--user",
                description = "The console's user (default: $" + HawtioConsole.USER_ENV + " or admin)")
        String user = System.getenv().getOrDefault(HawtioConsole.USER_ENV, HawtioConsole.DEFAULT_USER);

        @Option(names = "--password", description = "Its password (default: $" + HawtioConsole.PASSWORD_ENV + ")")
        String password = System.getenv(HawtioConsole.PASSWORD_ENV);

        @Override
        public Integer call() throws Exception {
            try {
                return HawtioConsole.run(port, routerPort, user, password);
            } catch (IllegalStateException e) {
                throw new CliError(e.getMessage().replaceFirst("^automatix hawtio: ", ""));
            }
        }
    }

    /** KEY=value words (IOSEA style) as a map; anything else is an error naming it. */
    static Map<String, String> keyValues(List<String> words) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String w : words == null ? List.<String>of() : words) {
            int eq = w.indexOf('=');
            if (eq <= 0) {
                throw new CliError("'" + w + "' is not KEY=value");
            }
            map.put(w.substring(0, eq), w.substring(eq + 1));
        }
        return map;
    }

    static String read(Path file) throws IOException {
        if (!Files.isReadable(file)) {
            throw new CliError("cannot read " + file);
        }
        return Files.readString(file);
    }

    static List<String> list(String... values) {
        return new ArrayList<>(List.of(values));
    }
}
