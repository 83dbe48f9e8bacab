package io.automatix.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import io.automatix.testing.RunningRouter;
import io.automatix.testing.RunsDb;
import io.automatix.testing.TestServices;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Either status path alone brings a SLURM job to its end: the polls without push, the pushes without polls. */
class StatusPathsIT {

    private final String tag = UUID.randomUUID().toString().substring(0, 6);
    private Path scratch;

    @Test
    void pollingAloneFollowsJobsWhenNothingIsPushed() throws Exception {
        try (RunningRouter router = router().property("automatix.process.push", "false")
                .property("automatix.process.poll-min-ms", "500")
                .start()) {
            RunsDb db = new RunsDb(router.database());
            String run = "poll_" + tag;
            db.ondeck(run, "hpc", "fulliautomatix");
            db.awaitProcessed(run, Duration.ofSeconds(90));
            // the job could not push: what reached the database came by polling
            assertThat(Files.readString(scratch.resolve(run + "/.automatix/" + run + ".process.1.sh")))
                    .contains("report started")
                    .doesNotContain("amqp-publish");
        }
    }

    @Test
    void pushAloneFollowsJobsWhenPollsAreTenMinutesApart() throws Exception {
        String database = TestServices.createDatabase();
        String vhost = TestServices.createVirtualHost();
        try (RunningRouter router = router().services(database, vhost)
                .property("automatix.clusters.hpc.push-url", TestServices.pushUrl(vhost)) // publish-only
                .property("automatix.process.poll-min-ms", "600000")
                .property("automatix.process.poll-max-ms", "600000")
                .start()) {
            RunsDb db = new RunsDb(database);
            String run = "push_" + tag;
            String polls = "SELECT polls FROM cluster_polls WHERE cluster = 'hpc'";
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> "1".equals(db.value(polls))); // at startup; the next in 10 min
            db.ondeck(run, "hpc", "fulliautomatix");
            db.awaitProcessed(run, Duration.ofSeconds(60));
            assertThat(db.value(polls)).isEqualTo("1");
        } finally {
            TestServices.dropDatabase(database);
            TestServices.deleteVirtualHost(vhost);
        }
    }

    private RunningRouter.Builder router() throws Exception {
        TestServices.requireSshKey();
        scratch = TestServices.sharedDirectory("scratch", true);
        return RunningRouter.builder()
                .sshHost("automatix.clusters.hpc")
                .property("automatix.clusters.hpc.scratch", scratch.toString())
                .property("automatix.process.plan-ms", "500");
    }
}
