package io.automatix.scheduler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.automatix.process.JobTemplates;
import io.automatix.ssh.CommandResult;
import io.automatix.ssh.LocalShell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * shellcheck finds nothing in the shell functions, nor in the whole scripts they become part of
 * (every kind of job of a batch, and a poll) for each batch system, nor in the job wrapper they
 * submit.
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
            // a site with everything of its own: umask, group, preamble (and SLURM's clusters)
            Map<String, String> site = new HashMap<>(
                    Map.of("job-umask", "0027", "job-group", "geo", "preamble", "module load x\nexport A=1"));
            if (system.name().equals("slurm")) {
                site.put("slurm-clusters", "kupe");
            }
            ShellScheduler scheduler = new ShellScheduler(
                    new LocalShell(),
                    Duration.ofSeconds(30),
                    system,
                    SiteSettings.read(system.name(), site::get, key -> key));
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

    /** The job wrapper as the engine renders it around a step's template, plain and parametric. */
    @Test
    void theJobWrapperAsRendered() throws IOException {
        JobTemplates templates = new JobTemplates(Path.of("templates"));
        Map<String, Object> model = new HashMap<>();
        model.put("run", Map.of("id", 7, "name", "r", "dir", "/scratch/r", "location", "", "metadata", Map.of()));
        model.put(
                "job",
                Map.of(
                        "name", "r.process.1",
                        "step", "process",
                        "attempt", 1,
                        "dir", "/scratch/r/.automatix",
                        "partition", "",
                        "walltime_seconds", 600,
                        "parameter_index", 0));
        model.put(
                "step",
                Map.of(
                        "name",
                        "process",
                        "template",
                        "fulliautomatix/process.sh.ftl",
                        "variables",
                        Map.of("program", "fulliautomatix"),
                        "resources",
                        Map.of("mem", "1G")));
        model.put("cluster", Map.of("name", "hpc", "scheduler", "slurm", "scratch", "/scratch"));
        model.put(
                "push",
                Map.of(
                        "server",
                        "127.0.0.1",
                        "port",
                        5672,
                        "vhost",
                        "/",
                        "ssl",
                        false,
                        "exchange",
                        "automatix.job-status",
                        "key_name",
                        "r.process.1",
                        "credentials",
                        "r.process.1.amqp",
                        "key",
                        "r.process.1.key"));
        Path plain = dir.resolve("job.sh");
        Files.writeString(plain, templates.render(JobTemplates.WRAPPER, model));
        shellcheck(plain);
        model.put("parameters", List.of("a b", "it's"));
        Path parametric = dir.resolve("parametric-job.sh");
        Files.writeString(parametric, templates.render(JobTemplates.WRAPPER, model));
        // a parameter's value holds its quote literally, as meant: SC2089/SC2090 warn of just that
        shellcheck(parametric, "--exclude=SC2089,SC2090");
    }

    /** A batch with a job of each kind: a script, one to look up first, an array, a command. */
    private static List<JobSubmission> batch() {
        String dir = "/scratch/r one/.automatix";
        List<JobSubmission> jobs = new ArrayList<>();
        jobs.add(new JobSubmission(
                        "r.LF.1",
                        dir,
                        "#!/bin/sh\necho hi\n",
                        "physics",
                        Duration.ofMinutes(5),
                        Map.of("mem", "1G"),
                        false)
                .withSecrets(Map.of("r.LF.1.key", "a\nb\n", "r.LF.1.amqp", "username:u\npassword:p\n")));
        jobs.add(new JobSubmission("r.LF.2", dir, "#!/bin/sh\n", null, Duration.ofMinutes(5), Map.of(), true));
        jobs.add(new JobSubmission(
                "r.P.1", dir, "#!/bin/sh\n", null, Duration.ofHours(2), Map.of(), false, null, 6, 50));
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
                3,
                2));
        return jobs;
    }

    private static void shellcheck(Path file, String... options) throws IOException {
        List<String> argv = new ArrayList<>(List.of("shellcheck", "--shell=sh", "--severity=style"));
        argv.addAll(List.of(options));
        argv.add(file.toString());
        CommandResult result;
        try {
            result = new LocalShell().run(argv, Duration.ofSeconds(60));
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
