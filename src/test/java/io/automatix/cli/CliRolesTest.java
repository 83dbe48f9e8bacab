package io.automatix.cli;

import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/** Every command of the CLI is in the role table, or is one of those that run on this host. */
class CliRolesTest {

    private static final Set<String> LOCAL = Set.of("router", "hawtio");

    @Test
    void everyCommandDeclaresTheRoleItNeeds() {
        CommandLine cli = new CommandLine(new AutomatixCli());
        TreeSet<String> leaves = new TreeSet<>();
        cli.getSubcommands().values().forEach(sub -> leaves(sub, sub.getCommandName(), leaves));
        TreeSet<String> declared = new TreeSet<>(CliRoles.NEEDED.keySet());
        declared.addAll(LOCAL);
        assertThat(leaves).isEqualTo(declared);

        CliRoles.describe(cli);
        String help = cli.getSubcommands()
                .get("tokens")
                .getSubcommands()
                .get("create")
                .getUsageMessage();
        assertThat(help).contains("Needs role admin");
        assertThat(cli.getSubcommands().get("router").getUsageMessage()).contains("needs no API role");
    }

    private static void leaves(CommandLine cli, String path, Set<String> into) {
        if (cli.getSubcommands().isEmpty()) {
            into.add(path);
        }
        cli.getSubcommands().values().forEach(sub -> leaves(sub, path + " " + sub.getCommandName(), into));
    }
}
