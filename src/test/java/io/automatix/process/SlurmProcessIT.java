package io.automatix.process;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.automatix.testing.RunningRouter;
import io.automatix.testing.RunsDb;
import io.automatix.testing.SlurmJobs;
import io.automatix.testing.TestHome;
import io.automatix.testing.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The process flow on the real SLURM, reached over the real OpenSSH as the test account, with job
 * status pushed by the job wrappers to the real RabbitMQ (amqp-publish on the compute node). Run
 * names carry a tag of this test run: SLURM remembers finished jobs by name for MinJobAge.
 */
class SlurmProcessIT {

    private static final String TAG = UUID.randomUUID().toString().substring(0, 6);
    private static String database;
    private static String vhost;
    private static RunningRouter router;
    private static RunsDb db;

    @BeforeAll
    static void start() throws Exception {
        TestServices.requireSshKey();
        database = TestServices.createDatabase();
        vhost = TestServices.createVirtualHost();
        db = new RunsDb(database);
        Path scratch = TestServices.sharedDirectory("scratch", true);
        Path home = TestHome.copyOfProject()
                .with("process/fail.sh.ftl", "templates/test/fail.sh.ftl")
                .with("process/hf-fails.yaml", "pipelines/hf-fails.yaml")
                .path();
        router = RunningRouter.builder()
                .home(home)
                .services(database, vhost)
                .sshHost("automatix.clusters.hpc")
                .property("automatix.clusters.hpc.scratch", scratch.toString())
                .property("automatix.clusters.hpc.push-url", "amqp://guest:guest@127.0.0.1:5672/" + vhost)
                .property("automatix.process.plan-ms", "500")
                .property("automatix.process.retry-delay-seconds", "1")
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (router != null) {
                router.close();
            }
        } finally {
            TestServices.dropDatabase(database);
            TestServices.deleteVirtualHost(vhost);
        }
    }

    @Test
    void aRunIsProcessedOnSlurmOnThePartitionItsWalltimeCalls() throws Exception {
        String run = "fa_" + TAG;
        db.ondeck(run, "hpc", "fulliautomatix");
        db.awaitProcessed(run, Duration.ofSeconds(90));
        Map<String, String> job = SlurmJobs.now().one(run + ".process.1");
        assertThat(job.get("Partition")).isEqualTo("standby"); // 2 h: up to 4 h goes to standby
        assertThat(job.get("JobState")).isEqualTo("COMPLETED");
        assertThat(db.value("SELECT scheduler_job_id FROM jobs WHERE scheduler_job_name = ?", run + ".process.1"))
                .isEqualTo(job.get("JobId"));
        assertThat(db.transitions("run", run))
                .containsSubsequence("none>queued", "queued>processing", "processing>processed");
    }

    @Test
    void cyberShakeWithTwentyRealisationsJoinsEveryBroadbandOnItsLowAndHighFrequencyJobs() throws Exception {
        for (int i = 0; i < 20; i++) {
            db.ondeck(String.format("cs_%s_%02d", TAG, i), "hpc", "cybershake");
        }
        for (int i = 0; i < 20; i++) {
            db.awaitProcessed(String.format("cs_%s_%02d", TAG, i), Duration.ofSeconds(240));
        }
        SlurmJobs slurm = SlurmJobs.now();
        for (int i = 0; i < 20; i++) {
            String run = String.format("cs_%s_%02d", TAG, i);
            Map<String, String> lf = slurm.one(run + ".LF.1");
            Map<String, String> hf = slurm.one(run + ".HF.1");
            Map<String, String> bb = slurm.one(run + ".BB.1");
            Map<String, String> im = slurm.one(run + ".IM_calc.1");
            // SLURM's clock (seconds): BB started after both its parents ended, IM_calc after BB
            assertThat(SlurmJobs.time(bb, "StartTime"))
                    .isAfterOrEqualTo(SlurmJobs.time(lf, "EndTime"))
                    .isAfterOrEqualTo(SlurmJobs.time(hf, "EndTime"));
            assertThat(SlurmJobs.time(im, "StartTime")).isAfterOrEqualTo(SlurmJobs.time(bb, "EndTime"));
            assertThat(im.get("Partition")).isEqualTo("physics"); // 6 h
            // ours, from the job wrappers' reports (sub-second)
            Timestamp bbStarted = timestamp("started_at", run, "BB");
            assertThat(bbStarted)
                    .isAfterOrEqualTo(timestamp("finished_at", run, "LF"))
                    .isAfterOrEqualTo(timestamp("finished_at", run, "HF"));
            assertThat(timestamp("started_at", run, "IM_calc")).isAfterOrEqualTo(timestamp("finished_at", run, "BB"));
        }
        assertThat(db.value(
                        "SELECT count(*) FROM jobs WHERE state = 'succeeded' AND scheduler_job_name LIKE ?",
                        "cs\\_" + TAG + "\\_%"))
                .isEqualTo("80");
    }

    @Test
    void aFailingStepIsRetriedThenItsDependentsAreCancelledAndTheRunFails() throws Exception {
        String run = "hf_" + TAG;
        db.ondeck(run, "hpc", "hf-fails");
        await().atMost(Duration.ofSeconds(90))
                .until(() -> "failed".equals(db.value("SELECT processed_status FROM runs WHERE name = ?", run)));
        assertThat(db.value("SELECT last_error FROM runs WHERE name = ?", run))
                .isEqualTo("step HF failed after 2 attempt(s): exit code 3");
        assertThat(db.column(
                        "SELECT step || ' ' || state FROM jobs WHERE scheduler_job_name LIKE ? ORDER BY id",
                        run + ".%"))
                .containsExactly("LF succeeded", "HF failed", "BB cancelled", "IM_calc cancelled");
        SlurmJobs slurm = SlurmJobs.now();
        assertThat(slurm.one(run + ".HF.1").get("ExitCode")).isEqualTo("3:0");
        assertThat(slurm.one(run + ".HF.2").get("ExitCode")).isEqualTo("3:0");
        assertThat(slurm.named(run + ".BB.1")).isEmpty();
        // a start and an end reported in one batch are applied as one transition
        assertThat(db.transitions("job", run + ".HF.1")).last().asString().endsWith(">failed");
        assertThat(db.transitions("job", run + ".HF.2")).startsWith("failed>pending", "pending>submitting");
    }

    private static Timestamp timestamp(String column, String run, String step) throws Exception {
        return Timestamp.valueOf(db.value(
                "SELECT " + column + "::timestamp FROM jobs j JOIN runs r ON r.id = j.run_id"
                        + " WHERE r.name = ? AND j.step = ?",
                run,
                step));
    }
}
