package io.automatix.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * Requeues on the real SLURM over the real OpenSSH (scripts/provision: PreemptType=preempt/qos,
 * PreemptMode=CANCEL, QOS high preempts QOS preemptible). A job preempted by a job of QOS high is
 * ended PREEMPTED by SLURM, recorded so with its words, and its step's {@code PREEMPTED: requeue}
 * submits it again: the next attempt succeeds. A job SLURM requeues itself under its id
 * ({@code scontrol requeue}, {@code requeuehold} then {@code release}) is neither failed nor lost:
 * it is followed to its success, and its events say it was requeued. NODE_FAIL can't be caused here
 * (the machine's one node runs other tests' jobs): PollAnswerTest and RecoveryPolicyTest check it.
 */
class RequeueIT {

    private static final String TAG = UUID.randomUUID().toString().substring(0, 6);
    private static String database;
    private static String vhost;
    private static RunningRouter router;
    private static RunsDb db;
    /** The QOS high jobs this test submitted, cancelled at the end. */
    private static final List<String> HIGH = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        TestServices.requireSshKey();
        database = TestServices.createDatabase();
        vhost = TestServices.createVirtualHost();
        db = new RunsDb(database);
        Path scratch = TestServices.sharedDirectory("scratch", true);
        Path home = TestHome.copyOfProject()
                .with("process/until-preempted.sh.ftl", "templates/test/until-preempted.sh.ftl")
                .with("process/until-requeued.sh.ftl", "templates/test/until-requeued.sh.ftl")
                .with("process/preempted-requeues.yaml", "pipelines/preempted-requeues.yaml")
                .with("process/requeued.yaml", "pipelines/requeued.yaml")
                .path();
        router = RunningRouter.builder()
                .home(home)
                .services(database, vhost)
                .sshHost("automatix.clusters.hpc")
                .property("automatix.clusters.hpc.scratch", scratch.toString())
                // the wrapper pushes the stopped run's "finished 143": it must not fail the job
                .property("automatix.clusters.hpc.push-url", "amqp://guest:guest@127.0.0.1:5672/" + vhost)
                .property("automatix.process.plan-ms", "500")
                .property("automatix.process.retry-delay-seconds", "1")
                .property("automatix.supervise.level", "0")
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            // the QOS high jobs, and ours a failed assertion left (held, or still sleeping)
            List<String> cancel = new ArrayList<>(HIGH);
            for (String line : TestServices.run("squeue", "-h", "-o", "%i %j").split("\n")) {
                String[] f = line.strip().split(" ");
                if (f.length == 2 && f[1].contains("_" + TAG + ".")) {
                    cancel.add(f[0]);
                }
            }
            if (!cancel.isEmpty()) {
                cancel.add(0, "scancel");
                TestServices.run(cancel.toArray(String[]::new));
            }
            if (router != null) {
                router.close();
            }
        } finally {
            TestServices.dropDatabase(database);
            TestServices.deleteVirtualHost(vhost);
        }
    }

    @Test
    void aPreemptedJobIsRequeuedByItsPolicyAndSucceeds() throws Exception {
        String run = "pre_" + TAG;
        db.ondeck(run, "hpc", "preempted-requeues");
        String id = runningJobId(run + ".A.1");
        // a job of QOS high asking for more memory than is free: only preempting ours makes room
        Map<String, String> node = node();
        long free = Long.parseLong(node.get("RealMemory")) - Long.parseLong(node.get("AllocMem"));
        String high = TestServices.run(
                        "sbatch",
                        "--parsable",
                        "--qos=high",
                        "--mem=" + (free + 2048) + "M",
                        "--job-name=amx-high-" + TAG,
                        "--output=/dev/null",
                        "--wrap=sleep 3")
                .strip();
        HIGH.add(high);
        db.awaitProcessed(run, Duration.ofSeconds(90));

        assertThat(SlurmJobs.now().one(run + ".A.1").get("JobState")).isEqualTo("PREEMPTED");
        Map<String, String> lost = db.row(
                "SELECT detail->>'reason' AS reason, detail->>'error' AS error, detail->>'scheduler_state' AS state,"
                        + " detail->>'scheduler_job_id' AS id FROM events WHERE entity = 'job' AND entity_name = ?"
                        + " AND to_state = 'lost'",
                run + ".A.1");
        assertThat(lost)
                .containsEntry("reason", "PREEMPTED")
                .containsEntry("error", "preempted by a job of higher priority")
                .containsEntry("state", "PREEMPTED")
                .containsEntry("id", id);
        assertThat(db.value(
                        "SELECT detail->>'recovery' FROM events WHERE entity = 'job' AND entity_name = ?"
                                + " AND from_state = 'lost' AND to_state = 'pending'",
                        run + ".A.2"))
                .isEqualTo("PREEMPTED: requeue 1 of 3");
        assertThat(db.row(
                        "SELECT state, attempt, max_attempts, recoveries::text AS recoveries, requeues FROM jobs"
                                + " WHERE step = 'A' AND scheduler_job_name LIKE ?",
                        run + ".%"))
                .containsEntry("state", "succeeded")
                .containsEntry("attempt", "2")
                .containsEntry("max_attempts", "2") // the requeue was not one of the step's retries
                .containsEntry("recoveries", "{\"requeue\": 1}")
                .containsEntry("requeues", "0"); // SLURM did not requeue it: the policy submitted it again
        assertThat(SlurmJobs.now().one(run + ".A.2").get("JobState")).isEqualTo("COMPLETED");
    }

    @Test
    void aJobSlurmRequeuedIsFollowedToItsSuccess() throws Exception {
        String requeued = "rq_" + TAG;
        String held = "rqh_" + TAG;
        db.ondeck(requeued, "hpc", "requeued");
        db.ondeck(held, "hpc", "requeued");
        String id = runningJobId(requeued + ".A.1");
        String heldId = runningJobId(held + ".A.1");
        TestServices.run("scontrol", "requeue", id);
        TestServices.run("scontrol", "requeuehold", heldId);
        // requeued, the job is seen queued again, not failed or lost (its pushed "finished 143" too)
        try {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> "queued".equals(db.value("SELECT state FROM jobs WHERE scheduler_job_id = ?", id))
                            && "queued".equals(db.value("SELECT state FROM jobs WHERE scheduler_job_id = ?", heldId)));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("not queued again: " + db.transitions("job", requeued + ".A.1") + " "
                    + db.transitions("job", held + ".A.1") + " "
                    + db.column("SELECT scheduler_job_name || ' ' || state || ' ' || coalesce(last_error, '')"
                            + " || ' ' || coalesce(requeued, '') FROM jobs ORDER BY id")
                    + " "
                    + TestServices.run("squeue", "-h", "-t", "all", "-j", id + "," + heldId, "-o", "%i %j %T %r"));
        }
        Thread.sleep(8_000); // past the hold on pushed failures (three poll-min intervals)
        assertThat(db.value("SELECT state FROM jobs WHERE scheduler_job_id = ?", heldId))
                .as("held, it waits")
                .isEqualTo("queued");
        TestServices.run("scontrol", "release", heldId);
        // SLURM holds a requeued job back for two minutes (BeginTime): start both now
        TestServices.run("scontrol", "update", "JobId=" + id, "StartTime=now");
        TestServices.run("scontrol", "update", "JobId=" + heldId, "StartTime=now");
        db.awaitProcessed(requeued, Duration.ofSeconds(60));
        db.awaitProcessed(held, Duration.ofSeconds(60));

        for (String run : List.of(requeued, held)) {
            String name = run + ".A.1";
            Map<String, String> slurm = SlurmJobs.now().one(name);
            assertThat(slurm.get("JobState")).isEqualTo("COMPLETED");
            assertThat(slurm.get("Restarts")).isEqualTo("1");
            assertThat(db.row(
                            "SELECT state, attempt, scheduler_job_id, requeues FROM jobs"
                                    + " WHERE scheduler_job_name = ?",
                            name))
                    .containsEntry("state", "succeeded")
                    .containsEntry("attempt", "1")
                    .containsEntry("scheduler_job_id", slurm.get("JobId"))
                    .containsEntry("requeues", "1");
            assertThat(db.value("SELECT requeued FROM jobs WHERE scheduler_job_name = ?", name))
                    .startsWith("requeued: stopped by TERM, then queued again under the same id " + slurm.get("JobId"))
                    .endsWith("by an operator's requeue, a preemption or a node failure");
            assertThat(db.transitions("job", name))
                    .as(name)
                    // queued>queued: job.requeued; the run after it may end before a poll sees it running
                    .containsSubsequence("queued>running", "running>queued", "queued>queued")
                    .noneMatch(t -> t.endsWith("failed") || t.endsWith("lost"))
                    .last()
                    .matches(t -> t.endsWith(">succeeded"), "succeeded at last");
            assertThat(db.value(
                            "SELECT detail->>'requeues' || ' ' || (detail->>'scheduler_job_id') FROM events"
                                    + " WHERE entity = 'job' AND entity_name = ? AND type = 'job.requeued'",
                            name))
                    .isEqualTo("1 " + slurm.get("JobId"));
        }
    }

    /** The SLURM job id of this job once the router saw it running. */
    private static String runningJobId(String name) {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> "running".equals(db.value("SELECT state FROM jobs WHERE scheduler_job_name = ?", name)));
        try {
            return db.value("SELECT scheduler_job_id FROM jobs WHERE scheduler_job_name = ?", name);
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, String> node() {
        Map<String, String> node = new java.util.HashMap<>();
        for (String field :
                TestServices.run("scontrol", "-o", "show", "node").strip().split(" ")) {
            int eq = field.indexOf('=');
            if (eq > 0) {
                node.put(field.substring(0, eq), field.substring(eq + 1));
            }
        }
        return node;
    }
}
