package io.automatix.scheduler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.automatix.ssh.CommandResult;
import io.automatix.ssh.LocalShell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * shellcheck finds nothing in the shell functions, nor in the whole scripts they become part of
 * (every kind of job of a batch, and a poll) for each batch system.
 */
class ShellcheckTest {

    private static final Path RESOURCES = Path.of("src/main/resources/io/automatix/scheduler");

    @TempDir
    Path dir;

    @Test
    void theShellFunctions() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(RESOURCES)) {
            files = s.filter(p -> p.toString().endsWith(".sh")).sorted().toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString()).contains("common.sh", "slurm.sh", "local.sh");
        for (Path file : files) {
            shellcheck(file);
        }
    }

    @Test
    void theScriptsOfEveryBatchSystem() throws IOException {
        for (BatchSystem system : BatchSystems.all()) {
            ShellScheduler scheduler = new ShellScheduler(new LocalShell(), Duration.ofSeconds(30), system);
            Path submission = dir.resolve(system.name() + "-submit.sh");
            Files.writeString(submission, scheduler.submission(batch()).toString());
            shellcheck(submission);
            Path poll = dir.resolve(system.name() + "-poll.sh");
            Files.writeString(
                    poll,
                    scheduler
                            .query(List.of(
                                    new WatchedJob("r.LF.1", "17", "/scratch/r one/.automatix"),
                                    new WatchedJob("r.LF.2", null, "/scratch/r one/.automatix")))
                            .toString());
            shellcheck(poll);
        }
    }

    /** A batch with a job of each kind: a script, one to look up first, an array, a command. */
    private static List<JobSubmission> batch() {
        String dir = "/scratch/r one/.automatix";
        List<JobSubmission> jobs = new ArrayList<>();
        jobs.add(new JobSubmission(
                "r.LF.1", dir, "#!/bin/sh\necho hi\n", "physics", Duration.ofMinutes(5), Map.of("mem", "1G"), false));
        jobs.add(new JobSubmission("r.LF.2", dir, "#!/bin/sh\n", null, Duration.ofMinutes(5), Map.of(), true));
        jobs.add(new JobSubmission("r.P.1", dir, "#!/bin/sh\n", null, Duration.ofHours(2), Map.of(), false, null, 6));
        jobs.add(new JobSubmission(
                "s.step.1",
                dir,
                null,
                null,
                Duration.ofMinutes(10),
                Map.of(),
                true,
                new JobSubmission.JobCommand(
                        List.of("sbatch", "My_Step", "it's"), "/home/u/wf dir", Map.of("SBATCH_PARTITION", "standby")),
                3));
        return jobs;
    }

    private static void shellcheck(Path file) throws IOException {
        CommandResult result;
        try {
            result = new LocalShell()
                    .run(
                            List.of("shellcheck", "--shell=sh", "--severity=style", file.toString()),
                            Duration.ofSeconds(60));
        } catch (IOException e) {
            fail("shellcheck could not run (" + e.getMessage() + "): install it with scripts/provision"
                    + " (or apt-get install shellcheck)");
            return;
        }
        assertThat(result.exitCode())
                .as("shellcheck " + file.getFileName() + ":\n" + result.stdout() + result.stderr())
                .isZero();
    }
}
