package io.automatix.scheduler;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import io.automatix.ssh.CommandResult;
import io.automatix.ssh.LocalShell;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs calls of a batch system's real shell functions (common.sh and its own) in a local sh. */
final class ShellFunctions {

    private ShellFunctions() {}

    static String run(BatchSystem system, String calls) throws IOException {
        ShellScript script =
                new ShellScript().line(ShellScheduler.functions(system)).line(calls);
        CommandResult result = new LocalShell().run(List.of("sh", "-s"), script.bytes(), Duration.ofSeconds(30), null);
        assertThat(result.stderr()).as("the shell's errors").isEmpty();
        return result.stdout();
    }
}
