package io.automatix.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import com.zaxxer.hikari.HikariDataSource;
import io.automatix.db.Database;
import io.automatix.db.DatabaseSettings;
import io.automatix.testing.AmqpTestClient;
import io.automatix.testing.RunsDb;
import io.automatix.testing.TestServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The fault suite's checker catches what it claims to: a database (real PostgreSQL, our schema)
 * holding one run that went all the way passes; each test then breaks one invariant the way a
 * defect would and expects that invariant, by name, to be the one reported.
 */
class InvariantsIT {

    private static final String TAG = "inv_";
    private String database;
    private String vhost;
    private RunsDb db;
    private Path objects;
    private SlurmLedger slurm;
    private Invariants invariants;

    @BeforeEach
    void oneRunAllTheWay() throws Exception {
        database = TestServices.createDatabase();
        vhost = TestServices.createVirtualHost();
        try (HikariDataSource ds = Database.open(new DatabaseSettings(
                TestServices.jdbcUrl(database), TestServices.DB_USER, TestServices.DB_PASSWORD, 2))) {
            Database.migrate(ds);
        }
        db = new RunsDb(database);
        db.update("INSERT INTO runs (name) VALUES ('inv_1')");
        for (String raw : new String[] {"transferring", "ondeck"}) {
            db.update("UPDATE runs SET raw_status = ?", raw);
        }
        for (String processed : new String[] {"queued", "processing"}) {
            db.update("UPDATE runs SET processed_status = ?", processed);
        }
        db.update(
                "INSERT INTO jobs (run_id, step, cluster, scheduler_job_name) SELECT id, 'A', 'hpc', 'inv_1.A.1' FROM runs");
        for (String state : new String[] {"submitting", "queued", "running", "succeeded"}) {
            db.update("UPDATE jobs SET state = ?, scheduler_job_id = '101'", state);
        }
        db.update("UPDATE runs SET processed_status = 'processed'");
        db.update("INSERT INTO archive_bundles (bucket, key) VALUES ('b', 'bundles/1.tar')");
        db.update("INSERT INTO archive_members (bundle_id, run_id) SELECT b.id, r.id FROM archive_bundles b, runs r");
        db.update("UPDATE archive_bundles SET status = 'uploading'");
        db.update("UPDATE archive_bundles SET status = 'verified'");
        db.update("UPDATE runs SET raw_status = 'compressed'");
        db.update("UPDATE runs SET raw_status = 'archived', raw_location = 's3://b/bundles/1.tar'");
        db.update("UPDATE events SET published_at = now()");
        objects = Files.createTempDirectory("objects");
        Files.createDirectories(objects.resolve("b/bundles"));
        Files.writeString(objects.resolve("b/bundles/1.tar"), "bundle");
        slurm = SlurmLedger.of(TAG);
        slurm.seen("101", "inv_1.A.1", "COMPLETED");
        invariants = new Invariants(db, vhost, TAG, objects);
        try (AmqpTestClient amqp = AmqpTestClient.rabbitmq(vhost)) {
            amqp.declare("automatix.runs");
        }
    }

    @AfterEach
    void drop() {
        TestServices.dropDatabase(database);
        TestServices.deleteVirtualHost(vhost);
    }

    @Test
    void aRunThatWentAllTheWayPasses() throws Exception {
        Invariants.Figures figures = invariants.check(Set.of("inv_1"), slurm);
        assertThat(figures).isEqualTo(new Invariants.Figures(1, 1, 0, 1, 0, 0, 0));
    }

    @Test
    void aLostRun() {
        violates(Set.of("inv_1", "inv_2"), "every offered run is in the runs database: 1 case(s), first inv_2");
    }

    @Test
    void aRunStuckOnDeck() throws Exception {
        db.update("UPDATE runs SET raw_status = 'ondeck'");
        violates("every run is archived or failed with a reason: 1 case(s), first inv_1: ondeck/processed");
    }

    @Test
    void aRunFailedWithoutAReason() throws Exception {
        db.update("UPDATE runs SET raw_status = 'archive_failed', last_error = ''");
        violates("every run is archived or failed with a reason");
    }

    @Test
    void anArchivedRunInNoBundle() throws Exception {
        db.update("DELETE FROM archive_members");
        violates("every archived run is in exactly one verified bundle: 1 case(s), first inv_1: 0 verified bundle(s)");
    }

    @Test
    void aBundleMissingFromTheStore() throws Exception {
        Files.delete(objects.resolve("b/bundles/1.tar"));
        violates("every verified bundle is in the object store: 1 case(s), first b/bundles/1.tar");
    }

    @Test
    void aJobSubmittedTwice() {
        slurm.seen("102", "inv_1.A.1", "RUNNING");
        violates("no SLURM job name was submitted twice: 1 case(s), first inv_1.A.1: [101 COMPLETED, 102 RUNNING]");
    }

    @Test
    void aSlurmJobNobodyRecorded() {
        slurm.seen("103", "inv_1.B.1", "COMPLETED");
        violates("every SLURM job is one a router recorded: 1 case(s), first inv_1.B.1 (103)");
    }

    @Test
    void aSecondAttemptWithoutARetry() throws Exception {
        db.update(
                "INSERT INTO events (actor, entity, entity_id, entity_name, type, to_state, detail, published_at)"
                        + " SELECT 'x', 'job', id, 'inv_1.A.2', 'job.queued', 'queued', '{\"scheduler_job_id\": \"104\"}', now() FROM jobs");
        slurm.seen("104", "inv_1.A.2", "COMPLETED");
        violates("a step has a second SLURM job only after a recorded retry: 1 case(s), first inv_1.A.2");
    }

    @Test
    void aRecordedJobSlurmNeverHad() throws Exception {
        db.update("UPDATE jobs SET scheduler_job_id = '105'");
        violates(
                "every job a router recorded as submitted is SLURM's job of that name: 1 case(s), first inv_1.A.1 105");
    }

    @Test
    void aTransitionWithoutItsEvent() throws Exception {
        db.update("ALTER TABLE jobs DISABLE TRIGGER jobs_audit");
        db.update("UPDATE jobs SET state = 'failed'");
        violates("every transition has its event, in order, ending in the row's state: 1 case(s), first job");
    }

    @Test
    void anEventNeverPublished() throws Exception {
        db.update("UPDATE events SET published_at = NULL WHERE id = (SELECT max(id) FROM events)");
        violates("every event is published: 1 case(s)");
    }

    @Test
    void aMessageLeftInAQueue() throws Exception {
        try (AmqpTestClient amqp = AmqpTestClient.rabbitmq(vhost)) {
            amqp.publish("automatix.runs", "{\"name\":\"inv_3\"}");
        }
        violates(
                "no message is left in or unacknowledged by a queue a router reads: 1 case(s), first automatix.runs: 1 ready");
    }

    @Test
    void aJobLeftSubmitting() throws Exception {
        db.update(
                "INSERT INTO jobs (run_id, step, cluster, scheduler_job_name) SELECT id, 'B', 'hpc', 'inv_1.B.1' FROM runs");
        db.update("UPDATE jobs SET state = 'submitting' WHERE step = 'B'");
        db.update("UPDATE events SET published_at = now()");
        violates("no row is left in a transient state: 1 case(s), first job inv_1.B.1: submitting");
    }

    private void violates(String message) {
        violates(Set.of("inv_1"), message);
    }

    private void violates(Set<String> offered, String message) {
        assertThatThrownBy(() -> invariants.check(offered, slurm))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("invariant violated: " + message);
    }
}
