package io.automatix.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code automatix wf ...}: workflow sessions, IOSEA style. Options or IOSEA's KEY=value words:
 * {@code automatix wf start WORKFLOW=wdf.yaml SESSION=s1 NS1=a} is
 * {@code automatix wf start -w wdf.yaml -s s1 -d NS1=a}. A WORKFLOW that is a readable file is
 * sent as text (its errors then name it); otherwise it names a file of the router's workflows/.
 */
@Command(
        name = "wf",
        mixinStandardHelpOptions = true,
        description = "Workflow sessions (IOSEA's iosea-wf).",
        subcommands = {
            Workflow.Start.class,
            Workflow.Run.class,
            Workflow.Stop.class,
            Workflow.Status.class,
            Workflow.Listing.class,
            Workflow.Access.class,
            Workflow.Cancel.class
        })
final class Workflow {

    @ParentCommand
    AutomatixCli top;

    /** Options and KEY=value words of one command, merged: WORKFLOW, SESSION, STEP, OWNER, anything else a variable. */
    abstract static class Words implements Callable<Integer> {
        @ParentCommand
        Workflow wf;

        @Option(names = {"-s", "--session"})
        String session;

        @Option(
                names = {"-o", "--owner"},
                description = "The owner of a session shared with you")
        String owner;

        @Option(
                names = {"-d", "--define"},
                paramLabel = "VAR=value")
        List<String> defines;

        @Parameters(paramLabel = "KEY=value", arity = "0..*")
        List<String> words;

        Map<String, String> given;

        String take(String key, String option) {
            String value = given.remove(key);
            return option != null ? option : value;
        }

        String session() {
            String s = take("SESSION", session);
            if (s == null) {
                throw new CliError("SESSION= (or -s) is required");
            }
            return s;
        }

        String query() {
            String o = take("OWNER", owner);
            return o == null ? "" : "?owner=" + ApiClient.encode(o);
        }

        Map<String, String> variables() {
            Map<String, String> variables = new LinkedHashMap<>(given);
            variables.putAll(AutomatixCli.keyValues(defines));
            return variables;
        }

        @Override
        public Integer call() throws Exception {
            given = AutomatixCli.keyValues(words);
            AutomatixCli.print(act(wf.top.api()));
            return 0;
        }

        abstract JsonNode act(ApiClient api) throws Exception;
    }

    @Command(
            name = "start",
            mixinStandardHelpOptions = true,
            description = "Start a session: WORKFLOW= SESSION= [VAR=value...]")
    static final class Start extends Words {
        @Option(names = {"-w", "--workflow"})
        String workflow;

        @Option(names = "--directory", description = "Where steps' commands run on the cluster")
        String directory;

        @Option(names = "--cluster")
        String cluster;

        @Override
        JsonNode act(ApiClient api) throws Exception {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("session", session());
            String w = take("WORKFLOW", workflow);
            if (w == null) {
                throw new CliError("WORKFLOW= (or -w) is required");
            }
            Path file = Path.of(w);
            if (Files.isRegularFile(file)) {
                request.put("wdf", AutomatixCli.read(file));
                request.put("file", w);
            } else {
                request.put("workflow", w);
            }
            if (directory != null) {
                request.put("directory", Path.of(directory).toAbsolutePath().toString());
            }
            if (cluster != null) {
                request.put("cluster", cluster);
            }
            request.put("variables", variables());
            return api.post("/api/sessions", request);
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Run a step: SESSION= STEP= [VAR=value...]")
    static final class Run extends Words {
        @Option(names = {"-t", "--step"})
        String step;

        @Override
        JsonNode act(ApiClient api) throws Exception {
            String s = session();
            String q = query();
            String t = take("STEP", step);
            if (t == null) {
                throw new CliError("STEP= (or -t) is required");
            }
            return api.post(
                    "/api/sessions/" + ApiClient.encode(s) + "/steps/" + ApiClient.encode(t) + q,
                    Map.of("variables", variables()));
        }
    }

    @Command(
            name = "stop",
            mixinStandardHelpOptions = true,
            description = "Stop a session once its steps ended: SESSION= [-f]")
    static final class Stop extends Words {
        @Option(
                names = {"-f", "--force"},
                description = "Cancel running steps instead of waiting")
        boolean force;

        @Override
        JsonNode act(ApiClient api) throws Exception {
            String s = session();
            return api.post("/api/sessions/" + ApiClient.encode(s) + "/stop" + query(), Map.of("force", force));
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = "A session's steps, jobs, data movers and services")
    static final class Status extends Words {
        @Override
        JsonNode act(ApiClient api) throws Exception {
            String s = session();
            return api.get("/api/sessions/" + ApiClient.encode(s) + query());
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Your live sessions and those shared with you")
    static final class Listing extends Words {
        @Override
        JsonNode act(ApiClient api) throws Exception {
            return api.get("/api/sessions");
        }
    }

    @Command(name = "access", mixinStandardHelpOptions = true, description = "How to reach a session's services")
    static final class Access extends Words {
        @Override
        JsonNode act(ApiClient api) throws Exception {
            String s = session();
            return api.get("/api/sessions/" + ApiClient.encode(s) + "/access" + query());
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a running step: SESSION= [STEP=]")
    static final class Cancel extends Words {
        @Option(names = {"-t", "--step"})
        String step;

        @Override
        JsonNode act(ApiClient api) throws Exception {
            String s = session();
            String q = query();
            String t = take("STEP", step);
            return api.post(
                    "/api/sessions/" + ApiClient.encode(s) + "/cancel" + q, t == null ? Map.of() : Map.of("step", t));
        }
    }
}
