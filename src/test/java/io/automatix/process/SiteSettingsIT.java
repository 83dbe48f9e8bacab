package io.automatix.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import io.automatix.testing.RunningRouter;
import io.automatix.testing.RunsDb;
import io.automatix.testing.TestHome;
import io.automatix.testing.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Site settings on the real SLURM over the real OpenSSH: a cluster whose preamble leaves sbatch off
 * the PATH fails its job at once with the shell's own words (no retry could bring sbatch back), and
 * a cluster with a scratch layout of its own and extra sbatch options has its jobs' files where it
 * says and its options on its jobs.
 */
class SiteSettingsIT {

    private static final String TAG = UUID.randomUUID().toString().substring(0, 6);
    private static RunningRouter router;
    private static RunsDb db;
    private static Path scratch;

    @BeforeAll
    static void start() throws Exception {
        TestServices.requireSshKey();
        scratch = TestServices.sharedDirectory("scratch", true);
        router = RunningRouter.builder()
                .home(TestHome.copyOfProject().path())
                .sshHost("automatix.clusters.nosbatch")
                .property("automatix.clusters.nosbatch.scratch", scratch.toString())
                .property("automatix.clusters.nosbatch.preamble", "PATH=" + binWithoutSbatch() + "; export PATH")
                .sshHost("automatix.clusters.laid-out")
                .property("automatix.clusters.laid-out.scratch", scratch.toString())
                .property("automatix.clusters.laid-out.run-dir", "{scratch}/runs/{run}")
                .property("automatix.clusters.laid-out.job-dir", scratch.resolve("jobs") + "/{run}")
                .property("automatix.clusters.laid-out.submit-options", "--comment=site-" + TAG)
                .property("automatix.process.plan-ms", "500")
                .property("automatix.process.poll-min-ms", "500")
                .property("automatix.supervise.level", "0")
                .start(); // with a database and vhost of its own, dropped when it closes
        db = new RunsDb(router.database());
    }

    @AfterAll
    static void stop() throws Exception {
        if (router != null) {
            router.close();
        }
    }

    @Test
    void aClusterWithoutSbatchFailsItsJobAtOnceSayingSo() throws Exception {
        String run = "nosbatch_" + TAG;
        db.ondeck(run, "nosbatch", "fulliautomatix");
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> "failed".equals(job(run).get("state")));
        Map<String, String> job = job(run);
        assertThat(job.get("last_error")).contains("rejected by the scheduler").contains("sbatch: not found");
        assertThat(job).containsEntry("attempt", "1").containsEntry("max_attempts", "1");
        assertThat(db.value("SELECT processed_status FROM runs WHERE name = ?", run))
                .isEqualTo("failed");
    }

    @Test
    void aClustersLayoutAndOptionsAreItsJobs() throws Exception {
        String run = "laidout_" + TAG;
        db.ondeck(run, "laid-out", "fulliautomatix");
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> "succeeded".equals(job(run).get("state")));
        Path jobDir = scratch.resolve("jobs").resolve(run);
        String name = run + ".process.1";
        assertThat(jobDir.resolve(name + ".status")).exists();
        assertThat(jobDir.resolve(name + ".out")).exists();
        assertThat(job(run)).containsEntry("directory", jobDir.toString());
        assertThat(scratch.resolve("runs").resolve(run))
                .as("the run's directory, where its step ran")
                .isDirectory();
        assertThat(scratch.resolve(run)).doesNotExist();
        assertThat(TestServices.run("squeue", "-h", "-t", "all", "-j", job(run).get("scheduler_job_id"), "-o", "%k")
                        .strip())
                .isEqualTo("site-" + TAG);
    }

    private static Map<String, String> job(String run) throws Exception {
        return db.row(
                "SELECT j.state, j.last_error, j.attempt::text, j.max_attempts::text, j.directory, j.scheduler_job_id"
                        + " FROM jobs j JOIN runs r ON r.id = j.run_id WHERE r.name = ?",
                run);
    }

    /** A PATH of every program of /usr/bin but sbatch, as on a login node whose SLURM module is not loaded. */
    private static Path binWithoutSbatch() throws Exception {
        Path bin = TestServices.sharedDirectory("bin", false);
        try (Stream<Path> programs = Files.list(Path.of("/usr/bin"))) {
            for (Path program : programs.filter(p -> !p.getFileName().toString().equals("sbatch"))
                    .toList()) {
                Files.createSymbolicLink(bin.resolve(program.getFileName()), program);
            }
        }
        return bin;
    }
}
