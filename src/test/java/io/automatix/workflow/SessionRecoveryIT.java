package io.automatix.workflow;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.automatix.testing.HaltAfterSubmit;
import io.automatix.testing.RouterProcess;
import io.automatix.testing.RunsDb;
import io.automatix.testing.SlurmJobs;
import io.automatix.testing.TestServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A workflow step's job is submitted idempotently across crashes, as a run's is (the same engine
 * path): checked by job name in SLURM itself. The routers are real processes (the jar).
 */
class SessionRecoveryIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final String tag = UUID.randomUUID().toString().substring(0, 6);
    private String database;
    private String vhost;
    private Path work;
    private Path scratch;
    private Path workdir;
    private RunsDb db;

    @BeforeEach
    void services() throws Exception {
        TestServices.requireSshKey();
        database = TestServices.createDatabase();
        vhost = TestServices.createVirtualHost();
        db = new RunsDb(database);
        work = Files.createTempDirectory("automatix-session-recovery");
        scratch = TestServices.sharedDirectory("scratch", true);
        workdir = TestServices.sharedDirectory("wf-recovery", true);
        Path nap = workdir.resolve("nap.sh");
        Files.writeString(nap, "#!/bin/sh\n#SBATCH --output=nap-%j.out\nsleep 1\n");
        Files.setPosixFilePermissions(nap, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void drop() {
        TestServices.dropDatabase(database);
        TestServices.deleteVirtualHost(vhost);
    }

    @Test
    void aRouterKilledBetweenSbatchAndRecordingAStepsJobLeavesExactlyOneSlurmJob() throws Exception {
        String step = "nap_" + tag;
        String wdf = "workflow:\n  name: recovery\nsteps:\n- name: " + step + "\n  command: \"sbatch nap.sh\"\n";
        Map<String, String> faulty = settings("router-a");
        faulty.put("camel.beans.haltAfterSubmit", "#class:" + HaltAfterSubmit.class.getName());
        String job;
        try (RouterProcess a = RouterProcess.startWithTestClasses(work, "a.log", faulty)) {
            HttpResponse<String> started = a.postJson(
                    "/api/sessions",
                    JSON.writeValueAsString(
                            Map.of("wdf", wdf, "session", "crash_" + tag, "directory", workdir.toString())));
            assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
            long id = JSON.readTree(started.body()).get("id").asLong();
            job = "wf-" + id + "." + step + ".1";
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> "active".equals(db.value("SELECT status FROM workflow_sessions WHERE id = ?", id)));
            HttpResponse<String> run = a.postJson("/api/sessions/crash_" + tag + "/steps/" + step, "{}");
            assertThat(run.statusCode()).as(run.body()).isEqualTo(202);
            assertThat(a.awaitExit(Duration.ofSeconds(60))).isEqualTo(137);
            assertThat(a.log()).contains("Fault injection: halting between sbatch and recording");
        }
        assertThat(db.value(
                        "SELECT state || ' ' || coalesce(scheduler_job_id, '-') FROM jobs WHERE scheduler_job_name = ?",
                        job))
                .isEqualTo("submitting -");
        String slurmId = SlurmJobs.now().one(job).get("JobId"); // sbatch did run

        try (RouterProcess b = RouterProcess.start(work, "b.log", settings("router-b"))) {
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(300))
                    .until(() -> "stopped succeeded"
                            .equals(db.value(
                                    "SELECT status || ' ' || coalesce(outcome, '-') FROM session_steps WHERE step = ?",
                                    step)));
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

    private Map<String, String> settings(String routerId) {
        Map<String, String> s =
                TestServices.routerSettings(database, vhost, routerId, work.resolve("data-" + routerId));
        TestServices.sshHost(s, "automatix.clusters.hpc");
        s.put("automatix.clusters.hpc.scratch", scratch.toString());
        s.put("automatix.workflow.default-cluster", "hpc");
        s.put("automatix.workflow.watch-ms", "500");
        s.put("automatix.process.push", "false");
        s.put("automatix.process.poll-min-ms", "500");
        s.put("automatix.process.submit-lease-seconds", "3");
        return s;
    }
}
