package io.automatix.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.automatix.testing.RunningRouter;
import io.automatix.testing.RunsDb;
import io.automatix.testing.TestServices;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Back-pressure, not failure: a cluster's cap on jobs in flight holds, and a scheduler that refuses
 * submissions (here slurmctld stopped, so sbatch cannot reach it) leaves jobs pending until it
 * answers again, with no attempt spent.
 */
class BackPressureIT {

    private final String tag = UUID.randomUUID().toString().substring(0, 6);

    @Test
    void theCapOnJobsInFlightHolds() throws Exception {
        try (RunningRouter router =
                router().property("automatix.clusters.hpc.max-jobs", "2").start()) {
            RunsDb db = new RunsDb(router.database());
            for (int i = 0; i < 6; i++) {
                db.ondeck("cap_" + tag + "_" + i, "hpc", "fulliautomatix");
            }
            AtomicInteger most = new AtomicInteger();
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        most.accumulateAndGet(
                                Integer.parseInt(db.value("SELECT count(*) FROM jobs"
                                        + " WHERE cluster = 'hpc' AND state IN ('submitting', 'queued', 'running')")),
                                Math::max);
                        return "6".equals(db.value("SELECT count(*) FROM runs WHERE processed_status = 'processed'"));
                    });
            assertThat(most.get()).isBetween(1, 2);
        }
    }

    @Test
    void aSchedulerThatCannotBeReachedHoldsJobsBackUntilItAnswers() throws Exception {
        try (RunningRouter router =
                router().property("automatix.process.backoff-seconds", "1").start()) {
            RunsDb db = new RunsDb(router.database());
            TestServices.run("pkill", "-x", "slurmctld");
            try {
                String run = "down_" + tag;
                db.ondeck(run, "hpc", "fulliautomatix");
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> db.value("SELECT note FROM jobs WHERE scheduler_job_name = ?", run + ".process.1")
                                != null);
                assertThat(db.value(
                                "SELECT state || ': ' || note FROM jobs WHERE scheduler_job_name = ?",
                                run + ".process.1"))
                        .startsWith("pending: refused by the scheduler");
            } finally {
                TestServices.run("/usr/sbin/slurmctld");
            }
            db.awaitProcessed("down_" + tag, Duration.ofSeconds(120));
            assertThat(db.value("SELECT attempt FROM jobs WHERE scheduler_job_name LIKE ?", "down_" + tag + ".%"))
                    .isEqualTo("1");
        }
    }

    private static RunningRouter.Builder router() throws Exception {
        TestServices.requireSshKey();
        Path scratch = TestServices.sharedDirectory("scratch", true);
        return RunningRouter.builder()
                .sshHost("automatix.clusters.hpc")
                .property("automatix.clusters.hpc.scratch", scratch.toString())
                .property("automatix.process.plan-ms", "500")
                .property("automatix.process.poll-min-ms", "500");
    }
}
