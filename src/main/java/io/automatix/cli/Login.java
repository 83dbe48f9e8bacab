package io.automatix.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code automatix login CLUSTER}: opens a two-factor cluster's connection (transport=openssh,
 * login=interactive) with the person answering the prompts. Where the router runs on this host
 * the CLI runs the router's exact ssh command in the person's terminal; with {@code --relay} (or a
 * router elsewhere) the router runs it and the CLI relays each prompt and answer.
 */
@Command(
        name = "login",
        mixinStandardHelpOptions = true,
        description = "Log in to a cluster that needs a person (two factors): its work resumes by itself.")
final class Login implements Callable<Integer> {

    private static final long WAIT_UP_MS = 30_000;

    @ParentCommand
    AutomatixCli top;

    @Parameters(paramLabel = "CLUSTER")
    String cluster;

    @Option(
            names = "--relay",
            description = "Let the router run ssh and relay its prompts (default when the router is not on this host)")
    boolean relay;

    @Override
    public Integer call() throws Exception {
        ApiClient api = top.api();
        String path = "/api/clusters/" + ApiClient.encode(cluster);
        if (relay || !loopback(top.url)) {
            return relayed(api, path);
        }
        JsonNode status = api.get(path + "/login");
        List<String> command = new ArrayList<>();
        status.path("command").forEach(c -> command.add(c.asText()));
        ProcessBuilder ssh = new ProcessBuilder(command).inheritIO();
        status.path("environment").fields().forEachRemaining(e -> {
            if (e.getValue().asText().isEmpty()) {
                ssh.environment().remove(e.getKey());
            } else {
                ssh.environment().put(e.getKey(), e.getValue().asText());
            }
        });
        int exit = ssh.start().waitFor();
        if (exit != 0) {
            throw new CliError("ssh exited with " + exit + "; " + cluster + " still needs a login");
        }
        long deadline = System.currentTimeMillis() + WAIT_UP_MS;
        while (!api.get(path + "/login").path("state").asText().equals("up")) {
            if (System.currentTimeMillis() > deadline) {
                throw new CliError(
                        "ssh logged in but the router does not see " + cluster + " up; see the router's log");
            }
            Thread.sleep(500);
        }
        System.out.println(cluster + ": logged in; waiting work resumes");
        return 0;
    }

    private int relayed(ApiClient api, String path) throws Exception {
        JsonNode step = api.post(path + "/login", Map.of());
        BufferedReader stdin = null;
        while (true) {
            String state = step.path("state").asText();
            switch (state) {
                case "up" -> {
                    System.out.println(cluster + ": logged in; waiting work resumes");
                    return 0;
                }
                case "failed" -> throw new CliError(step.path("error").asText("login failed"));
                case "waiting" -> step = api.post(path + "/login", Map.of());
                case "prompting" -> {
                    String prompt = step.path("prompt").asText();
                    Console console = System.console();
                    String answer;
                    if (console != null) {
                        char[] typed = console.readPassword("%s", prompt.endsWith(" ") ? prompt : prompt + " ");
                        answer = typed == null ? "" : new String(typed);
                    } else {
                        // no terminal (tests, pipes): one line of stdin per prompt
                        System.err.print(prompt);
                        System.err.flush();
                        if (stdin == null) {
                            stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                        }
                        answer = stdin.readLine();
                        if (answer == null) {
                            throw new CliError("no answer on stdin to: " + prompt.strip());
                        }
                    }
                    step = api.post(path + "/login/answer", Map.of("answer", answer));
                }
                default -> throw new CliError("unexpected login state '" + state + "'");
            }
        }
    }

    /** Whether the API is on this host (then ssh can run in the person's own terminal). */
    static boolean loopback(String url) {
        try {
            String host = URI.create(url).getHost();
            return host != null && InetAddress.getByName(host).isLoopbackAddress();
        } catch (Exception e) {
            return false;
        }
    }

    @Command(
            name = "logout",
            mixinStandardHelpOptions = true,
            description = "Close a cluster's connection (ssh -O exit): a two-factor cluster then needs a login.")
    static final class Logout implements Callable<Integer> {
        @ParentCommand
        AutomatixCli top;

        @Parameters(paramLabel = "CLUSTER")
        String cluster;

        @Override
        public Integer call() throws Exception {
            AutomatixCli.print(top.api().post("/api/clusters/" + ApiClient.encode(cluster) + "/logout", Map.of()));
            return 0;
        }
    }
}
