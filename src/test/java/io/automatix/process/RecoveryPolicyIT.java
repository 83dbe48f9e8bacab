package io.automatix.process;

import java.nio.file.Files;
import java.nio.file.Path;
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
 * Steps' recovery policies (on_failure) on the real SLURM over the real OpenSSH: a policy's fail
 * ends a job at once, a retry is submitted with the walltime or memory the policy asks, under its
 * attempt's name, and the job's events say what was decided.
 */
class RecoveryPolicyIT {

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
                .with("process/fail-once.sh.ftl", "templates/test/fail-once.sh.ftl")
                .with("process/oom.sh.ftl", "templates/test/oom.sh.ftl")
                .with("process/exit3-fails.yaml", "pipelines/exit3-fails.yaml")
                .with("process/walltime-doubles.yaml", "pipelines/walltime-doubles.yaml")
                .with("process/oom-doubles.yaml", "pipelines/oom-doubles.yaml")
                .with("process/late-once.sh.ftl", "templates/test/late-once.sh.ftl")
                .with("process/timeout-doubles.yaml", "pipelines/timeout-doubles.yaml")
                .path();
        router = RunningRouter.builder()
                .home(home)
                .services(database, vhost)
                .sshHost("automatix.clusters.hpc")
                .property("automatix.clusters.hpc.scratch", scratch.toString())
                .property("automatix.clusters.hpc.push-url", "amqp://guest:guest@127.0.0.1:5672/" + vhost)
                .property("automatix.process.plan-ms", "500")
                .property("automatix.process.retry-delay-seconds", "1")
                // supervision resubmits what failed for good, but not what a policy failed
                .property("automatix.clusters.hpc.supervision-level", "2")
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
    void exitThreeWithPolicyFailFailsAtOnceThoughTheStepHasRetries() throws Exception {
        String run = "x3_" + TAG;
        db.ondeck(run, "hpc", "exit3-fails");
        await().atMost(Duration.ofSeconds(90))
                .until(() -> "failed".equals(db.value("SELECT processed_status FROM runs WHERE name = ?", run)));
        assertThat(db.column(
                        "SELECT step || ' ' || state || ' ' || attempt FROM jobs WHERE scheduler_job_name LIKE ?"
                                + " ORDER BY id",
                        run + ".%"))
                .containsExactly("A failed 1", "B cancelled 1");
        assertThat(db.row(
                        "SELECT recovery, recovery_final::text AS final, awaiting_supervision::text AS awaiting,"
                                + " max_attempts FROM jobs WHERE scheduler_job_name = ?",
                        run + ".A.1"))
                .containsEntry("recovery", "exit 3: fail (by the step's on_failure)")
                .containsEntry("final", "true")
                .containsEntry("awaiting", "false")
                .containsEntry("max_attempts", "1");
        assertThat(db.value(
                        "SELECT count(*) FROM supervisions s JOIN jobs j ON j.id = s.job_id"
                                + " WHERE j.scheduler_job_name = ?",
                        run + ".A.1"))
                .isEqualTo("0");
        assertThat(db.value("SELECT last_error FROM runs WHERE name = ?", run)).contains("exit code 3");
        SlurmJobs slurm = SlurmJobs.now();
        assertThat(slurm.one(run + ".A.1").get("ExitCode")).isEqualTo("3:0");
        assertThat(slurm.named(run + ".A.2")).isEmpty();
        assertThat(db.value(
                        "SELECT detail->>'recovery' FROM events WHERE entity = 'job' AND entity_name = ?"
                                + " AND type = 'job.recovery'",
                        run + ".A.1"))
                .isEqualTo("exit 3: fail (by the step's on_failure)");
    }

    @Test
    void aJobPastItsWalltimeIsWarnedThenRetriedWithTwiceIt() throws Exception {
        String run = "to_" + TAG;
        db.ondeck(run, "hpc", "timeout-doubles");
        db.awaitProcessed(run, Duration.ofSeconds(240));
        SlurmJobs slurm = SlurmJobs.now();
        assertThat(slurm.one(run + ".A.1").get("JobState")).isEqualTo("TIMEOUT");
        assertThat(slurm.one(run + ".A.1").get("TimeLimit")).isEqualTo("00:01:00");
        assertThat(slurm.one(run + ".A.2").get("JobState")).isEqualTo("COMPLETED");
        assertThat(slurm.one(run + ".A.2").get("TimeLimit")).isEqualTo("00:02:00");
        assertThat(db.value(
                        "SELECT detail->>'reason' FROM events WHERE entity = 'job' AND entity_name = ?"
                                + " AND to_state = 'failed'",
                        run + ".A.1"))
                .isEqualTo("TIMEOUT");
        assertThat(db.value(
                        "SELECT detail->>'recovery' FROM events WHERE entity = 'job' AND entity_name = ?"
                                + " AND from_state = 'failed' AND to_state = 'pending'",
                        run + ".A.2"))
                .startsWith("TIMEOUT: retry 1 of 1, walltime 2m");
        // the wrapper heard SLURM's warning (--signal=B:USR1) before the end (TERM)
        Path status = Path.of(db.value("SELECT directory FROM jobs WHERE scheduler_job_name = ?", run + ".A.2"))
                .resolve(run + ".A.1.status");
        assertThat(Files.readString(status)).matches("(?s)finished 143 USR1 TERM [0-9.]+\\s*");
        assertThat(db.value("SELECT state || ' ' || attempt FROM jobs WHERE scheduler_job_name = ?", run + ".A.2"))
                .isEqualTo("succeeded 2");
    }

    @Test
    void exitOneIsRetriedWithTwiceTheWalltimeOnThePartitionItCalls() throws Exception {
        String run = "wd_" + TAG;
        db.ondeck(run, "hpc", "walltime-doubles");
        db.awaitProcessed(run, Duration.ofSeconds(120));
        SlurmJobs slurm = SlurmJobs.now();
        Map<String, String> first = slurm.one(run + ".A.1");
        Map<String, String> second = slurm.one(run + ".A.2");
        assertThat(first.get("ExitCode")).isEqualTo("1:0");
        assertThat(first.get("TimeLimit")).isEqualTo("03:00:00");
        assertThat(first.get("Partition")).isEqualTo("standby");
        assertThat(second.get("JobState")).isEqualTo("COMPLETED");
        assertThat(second.get("TimeLimit")).isEqualTo("06:00:00");
        assertThat(second.get("Partition")).isEqualTo("physics"); // standby takes up to 4 h
        Map<String, String> job = db.row(
                "SELECT state, attempt, max_attempts, extract(epoch FROM walltime)::bigint AS walltime_seconds,"
                        + " partition, recoveries::text AS recoveries FROM jobs WHERE scheduler_job_name = ?",
                run + ".A.2");
        assertThat(job)
                .containsEntry("state", "succeeded")
                .containsEntry("attempt", "2")
                .containsEntry("walltime_seconds", "21600")
                .containsEntry("partition", "physics")
                .containsEntry("recoveries", "{\"EXIT_CODE\": 1}");
        // the retry's event: its attempt, resources and why
        Map<String, String> retry = db.row(
                "SELECT detail->>'attempt' AS attempt, detail->>'walltime_seconds' AS walltime,"
                        + " detail->>'partition' AS partition, detail->>'recovery' AS recovery"
                        + " FROM events WHERE entity = 'job' AND entity_name = ? AND from_state = 'failed'"
                        + " AND to_state = 'pending'",
                run + ".A.2");
        assertThat(retry)
                .containsEntry("attempt", "2")
                .containsEntry("walltime", "21600")
                .containsEntry("partition", "physics")
                .containsEntry("recovery", "EXIT_CODE: retry 1 of 1, walltime 6h on physics");
        assertThat(db.value(
                        "SELECT detail->>'reason' FROM events WHERE entity = 'job' AND entity_name = ?"
                                + " AND to_state = 'failed'",
                        run + ".A.1"))
                .isEqualTo("EXIT_CODE");
    }

    /**
     * Needs the SLURM poll to say OUT_OF_MEMORY (sacct's state, issue 18 part 2): without it the kill
     * is an exit code or a signal, which this step's policy does not cover, and the run fails.
     */
    @Test
    void outOfMemoryIsRetriedWithTwiceTheMemoryAndSucceeds() throws Exception {
        String run = "om_" + TAG;
        db.ondeck(run, "hpc", "oom-doubles");
        db.awaitProcessed(run, Duration.ofSeconds(120));
        assertThat(db.value(
                        "SELECT detail->>'reason' FROM events WHERE entity = 'job' AND entity_name = ?"
                                + " AND to_state = 'failed'",
                        run + ".A.1"))
                .isEqualTo("OUT_OF_MEMORY");
        SlurmJobs slurm = SlurmJobs.now();
        assertThat(slurm.one(run + ".A.1").get("MinMemoryNode")).isEqualTo("200M");
        assertThat(slurm.one(run + ".A.2").get("MinMemoryNode")).isEqualTo("400M");
        assertThat(slurm.one(run + ".A.2").get("JobState")).isEqualTo("COMPLETED");
        assertThat(db.value(
                        "SELECT detail->>'resources' FROM events WHERE entity = 'job' AND entity_name = ?"
                                + " AND to_state = 'queued'",
                        run + ".A.2"))
                .isEqualTo("{\"mem\": \"400M\"}");
    }
}
