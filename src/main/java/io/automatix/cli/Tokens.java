package io.automatix.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import static io.automatix.cli.AutomatixCli.print;

/** {@code automatix tokens}: an admin issues, lists and revokes API tokens (POST/GET /api/tokens). */
@Command(
        name = "tokens",
        mixinStandardHelpOptions = true,
        description = "Issue, list and revoke API tokens (stored hashed; a token is shown once).",
        subcommands = {Tokens.Create.class, Tokens.ListTokens.class, Tokens.Revoke.class})
final class Tokens {
    @ParentCommand
    AutomatixCli top;

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Issue a token for USER; it is printed once: hand it over now.")
    static final class Create implements Callable<Integer> {
        @ParentCommand
        Tokens tokens;

        @Parameters(paramLabel = "USER")
        String user;

        @Option(names = "--role", required = true, description = "viewer, scientist, operator or admin")
        String role;

        @Option(names = "--expires", required = true, description = "30d, 12h, 90m, or an ISO date (2027-01-31)")
        String expires;

        @Option(names = "--groups", split = ",", paramLabel = "GROUP", description = "The user's groups: a,b")
        List<String> groups = List.of();

        @Option(names = "--description", description = "What the token is for")
        String description;

        @Override
        public Integer call() throws Exception {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("user", user);
            body.put("role", role);
            body.put("groups", groups);
            body.put("expires", expires);
            if (description != null) {
                body.put("description", description);
            }
            print(tokens.top.api().post("/api/tokens", body));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Tokens with their users and states.")
    static final class ListTokens implements Callable<Integer> {
        @ParentCommand
        Tokens tokens;

        @Override
        public Integer call() throws Exception {
            JsonNode list = tokens.top.api().get("/api/tokens");
            System.out.printf(
                    "%-6s %-20s %-10s %-8s %-26s %s%n", "ID", "USER", "ROLE", "STATE", "EXPIRES", "DESCRIPTION");
            for (JsonNode t : list) {
                System.out.printf(
                        "%-6s %-20s %-10s %-8s %-26s %s%n",
                        t.path("id").asText(),
                        t.path("user").asText(),
                        t.path("role").asText(),
                        t.path("state").asText(),
                        t.path("expires_at").asText("never"),
                        t.path("description").asText(""));
            }
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke tokens: refused from now on.")
    static final class Revoke implements Callable<Integer> {
        @ParentCommand
        Tokens tokens;

        @Parameters(paramLabel = "ID", arity = "1..*")
        List<Long> ids;

        @Override
        public Integer call() throws Exception {
            for (long id : ids) {
                print(tokens.top.api().post("/api/tokens/" + id + "/revoke", Map.of()));
            }
            return 0;
        }
    }
}
