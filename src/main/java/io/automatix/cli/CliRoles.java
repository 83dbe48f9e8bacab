package io.automatix.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.automatix.user.Role;
import picocli.CommandLine;

/**
 * The role each command needs, in one table, shown at the end of its help. The CLI checks nothing
 * itself: the API's routes declare the same roles and refuse a lower one (403); this table is what
 * a person reads before trying. Commands not in it run on this host and need no API token.
 */
final class CliRoles {

    static final Map<String, Role> NEEDED = Map.ofEntries(
            Map.entry("once", Role.OPERATOR),
            Map.entry("status", Role.VIEWER),
            Map.entry("runs add", Role.SCIENTIST),
            Map.entry("runs show", Role.VIEWER),
            Map.entry("runs reprocess", Role.SCIENTIST),
            Map.entry("runs cancel", Role.SCIENTIST),
            Map.entry("restore", Role.OPERATOR),
            Map.entry("wf start", Role.SCIENTIST),
            Map.entry("wf run", Role.SCIENTIST),
            Map.entry("wf stop", Role.SCIENTIST),
            Map.entry("wf cancel", Role.SCIENTIST),
            Map.entry("wf status", Role.VIEWER),
            Map.entry("wf list", Role.VIEWER),
            Map.entry("wf access", Role.VIEWER),
            Map.entry("doctor", Role.OPERATOR),
            Map.entry("login", Role.OPERATOR),
            Map.entry("logout", Role.OPERATOR),
            Map.entry("tokens create", Role.ADMIN),
            Map.entry("tokens list", Role.ADMIN),
            Map.entry("tokens revoke", Role.ADMIN));

    private CliRoles() {}

    /** Appends "Needs role R." (or "Runs on this host.") to every leaf command's description. */
    static void describe(CommandLine cli) {
        for (CommandLine sub : cli.getSubcommands().values()) {
            describe(sub, sub.getCommandName());
        }
    }

    private static void describe(CommandLine cli, String path) {
        if (!cli.getSubcommands().isEmpty()) {
            for (CommandLine sub : cli.getSubcommands().values()) {
                describe(sub, path + " " + sub.getCommandName());
            }
            return;
        }
        Role role = NEEDED.get(path);
        List<String> description =
                new ArrayList<>(List.of(cli.getCommandSpec().usageMessage().description()));
        description.add(
                role == null
                        ? "Runs on this host: needs no API role."
                        : "Needs role " + role.stored() + " (the API refuses a lower one).");
        cli.getCommandSpec().usageMessage().description(description.toArray(String[]::new));
    }
}
