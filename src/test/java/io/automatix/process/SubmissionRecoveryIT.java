package io.automatix.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.automatix.testing.HaltAfterSubmit;
import io.automatix.testing.RouterProcess;
import io.automatix.testing.RunsDb;
import io.automatix.testing.SlurmJobs;
import io.automatix.testing.TestServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Submission is idempotent across crashes and shared between routers: checked by job name in SLURM
 * itself, not only in our tables. The routers are real processes (the jar) on the real SLURM.
 */
class SubmissionRecoveryIT {

    private final String tag = UUID.randomUUID().toString().substring(0, 6);
    private String database;
    private String vhost;
    private Path work;
    private Path scratch;
    private RunsDb db;

    @BeforeEach
    void services() throws Exception {
        TestServices.requireSshKey();
        database = TestServices.createDatabase();
        vhost = TestServices.createVirtualHost();
        db = new RunsDb(database);
        work = Files.createTempDirectory("automatix-recovery");
        scratch = TestServices.sharedDirectory("scratch", true);
    }

    @AfterEach
    void drop() {
        TestServices.dropDatabase(database);
        TestServices.deleteVirtualHost(vhost);
    }

    @Test
    void aRouterKilledBetweenSbatchAndRecordingTheJobLeavesExactlyOneSlurmJob() throws Exception {
        String run = "crash_" + tag;
        String job = run + ".process.1";
        // no pushed status, so the job's outcome reaches the new router only by looking it up
        Map<String, String> faulty = settings("router-a");
        faulty.put("camel.beans.haltAfterSubmit", "#class:" + HaltAfterSubmit.class.getName());
        faulty.put("automatix.process.push", "false");
        Map<String, String> healthy = settings("router-b");
        healthy.put("automatix.process.push", "false");
        try (RouterProcess a = RouterProcess.startWithTestClasses(work, "a.log", faulty)) {
            db.ondeck(run, "hpc", "fulliautomatix");
            assertThat(a.awaitExit(Duration.ofSeconds(60))).isEqualTo(137);
            assertThat(a.log()).contains("Fault injection: halting between sbatch and recording");
        }
        assertThat(db.value(
                        "SELECT state || ' ' || coalesce(scheduler_job_id, '-') FROM jobs WHERE scheduler_job_name = ?",
                        job))
                .isEqualTo("submitting -");
        String slurmId = SlurmJobs.now().one(job).get("JobId"); // sbatch did run

        try (RouterProcess b = RouterProcess.start(work, "b.log", healthy)) {
            db.awaitProcessed(run, Duration.ofSeconds(90));
        }
        SlurmJobs.now().one(job); // still exactly one: found by name, not submitted again
        assertThat(db.value("SELECT scheduler_job_id FROM jobs WHERE scheduler_job_name = ?", job))
                .isEqualTo(slurmId);
        assertThat(db.column(
                        "SELECT actor || ' ' || from_state || '>' || to_state FROM events WHERE entity_name = ?"
                                + " AND to_state IN ('submitting', 'queued') ORDER BY id",
                        job))
                .containsExactly("router-a pending>submitting", "router-b submitting>queued");
    }

    @Test
    void twoRoutersOnOneDatabaseSubmitEachJobOnce() throws Exception {
        int runs = 10;
        try (RouterProcess a = RouterProcess.start(work, "a.log", settings("router-a"));
                RouterProcess b = RouterProcess.start(work, "b.log", settings("router-b"))) {
            for (int i = 0; i < runs; i++) {
                db.ondeck(String.format("two_%s_%02d", tag, i), "hpc", "cybershake");
            }
            for (int i = 0; i < runs; i++) {
                db.awaitProcessed(String.format("two_%s_%02d", tag, i), Duration.ofSeconds(180));
            }
        }
        SlurmJobs slurm = SlurmJobs.now();
        for (String name : db.column("SELECT scheduler_job_name FROM jobs ORDER BY id")) {
            slurm.one(name);
        }
        assertThat(db.value("SELECT count(*) FROM jobs")).isEqualTo(String.valueOf(4 * runs));
        assertThat(
                        db.column(
                                "SELECT entity_name FROM events WHERE type = 'job.queued' GROUP BY entity_name HAVING count(*) > 1"))
                .isEmpty();
        // the work was shared: both routers planned, submitted or applied status
        assertThat(db.column("SELECT DISTINCT actor FROM events WHERE entity = 'job'"))
                .contains("router-a", "router-b");
    }

    private Map<String, String> settings(String routerId) {
        Map<String, String> s =
                TestServices.routerSettings(database, vhost, routerId, work.resolve("data-" + routerId));
        TestServices.sshHost(s, "automatix.clusters.hpc");
        s.put("automatix.clusters.hpc.scratch", scratch.toString());
        s.put("automatix.clusters.hpc.push-url", "amqp://guest:guest@127.0.0.1:5672/" + vhost);
        s.put("automatix.process.plan-ms", "500");
        s.put("automatix.process.submit-lease-seconds", "3");
        return s;
    }
}
