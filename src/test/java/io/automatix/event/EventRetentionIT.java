package io.automatix.event;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;

import io.automatix.testing.RunningRouter;
import io.automatix.testing.RunsDb;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Retention on the real PostgreSQL, run by its route: published events past the age are summarised
 * (counts per entity, type and day kept) and deleted; recent ones, unpublished ones and each
 * entity's last transitions stay as they are.
 */
class EventRetentionIT {

    @Test
    void oldPublishedEventsAreSummarisedAndTheRestIsUntouched() throws Exception {
        try (RunningRouter router = RunningRouter.builder()
                .property("automatix.transfer.dry-run", "true")
                .property("automatix.events.retention-days", "30")
                .property("automatix.events.retention-batch", "3") // several batches in one pass
                .property("automatix.events.lease-seconds", "3600")
                .property("automatix.schedule.events-retention", "0/2 * * * * ?")
                .start()) {
            RunsDb db = new RunsDb(router.database());
            String old = "'2020-01-10 10:00:00+00'";
            String older = "'2020-01-09 10:00:00+00'";
            try (Connection c = router.db()) {
                c.setAutoCommit(false);
                var s = c.createStatement();
                // run 9001, long finished: acquired, transferring three times (retries), ondeck a day later,
                // archived (its last raw transition); processing queued, then processed (its last one)
                s.execute(insert("run", 9001, "ret_old", "run.acquired", older, true));
                for (int i = 0; i < 3; i++) {
                    s.execute(insert("run", 9001, "ret_old", "run.transferring", older, true));
                }
                s.execute(insert("run", 9001, "ret_old", "run.processing.queued", older, true));
                s.execute(insert("run", 9001, "ret_old", "run.ondeck", old, true));
                s.execute(insert("run", 9001, "ret_old", "run.processing.processed", old, true));
                s.execute(insert("run", 9001, "ret_old", "run.archived", old, true));
                // job 9002: an old published event, an old one the outbox still owes (another router's
                // claim), and a recent one
                s.execute(insert("job", 9002, "ret_old.process.1", "job.pending", older, true));
                s.execute("INSERT INTO events (actor, entity, entity_id, entity_name, type, at, claimed_by, claimed_at)"
                        + " VALUES ('test', 'job', 9002, 'ret_old.process.1', 'job.running', " + old
                        + ", 'elsewhere', now())");
                s.execute(insert("job", 9002, "ret_old.process.1", "job.succeeded", "now() - interval '1 day'", true));
                // run 9003, recent
                s.execute(insert("run", 9003, "ret_new", "run.acquired", "now() - interval '29 days'", true));
                s.execute(insert("run", 9003, "ret_new", "run.transferring", "now()", true));
                c.commit();
            }
            String counts = "SELECT entity || ' ' || entity_id || ' ' || type || ' ' || day || ' ' || events"
                    + " FROM event_days WHERE entity_id IN (9001, 9002, 9003) ORDER BY 1";
            List<String> before = db.column(counts);
            String routersOwn = "SELECT count(*) FROM events WHERE entity_id NOT IN (9001, 9002, 9003)";
            long own = Long.parseLong(db.value(routersOwn));

            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> db.value("SELECT count(*) FROM events_summary").equals("5"));

            assertThat(db.column(counts)).as("counts per entity, type and day").isEqualTo(before);
            assertThat(db.column("SELECT entity || ' ' || entity_id || ' ' || type || ' ' || day || ' ' || events"
                            + " || ' ' || array_to_string(actors, ',') FROM events_summary ORDER BY 1"))
                    .containsExactly(
                            "job 9002 job.pending 2020-01-09 1 test",
                            "run 9001 run.acquired 2020-01-09 1 test",
                            "run 9001 run.ondeck 2020-01-10 1 test",
                            "run 9001 run.processing.queued 2020-01-09 1 test",
                            "run 9001 run.transferring 2020-01-09 3 test");
            assertThat(db.column("SELECT entity_id || ' ' || type FROM events WHERE entity_id IN (9001, 9002, 9003)"
                            + " ORDER BY id"))
                    .as("kept: each run's last raw and processing transitions, the unpublished, the recent")
                    .containsExactly(
                            "9001 run.processing.processed",
                            "9001 run.archived",
                            "9002 job.running",
                            "9002 job.succeeded",
                            "9003 run.acquired",
                            "9003 run.transferring");
            assertThat(Long.parseLong(db.value(routersOwn)))
                    .as("the router's own, recent events")
                    .isGreaterThanOrEqualTo(own);
            // a further pass changes nothing
            long again = router.context()
                    .getRegistry()
                    .lookupByNameAndType("eventRetention", EventRetention.class)
                    .prune();
            assertThat(again).isZero();
        }
    }

    private static String insert(String entity, long id, String name, String type, String at, boolean published) {
        return "INSERT INTO events (actor, entity, entity_id, entity_name, type, at, published_at) VALUES ('test', '"
                + entity + "', " + id + ", '" + name + "', '" + type + "', " + at + ", "
                + (published ? "now()" : "NULL") + ")";
    }
}
