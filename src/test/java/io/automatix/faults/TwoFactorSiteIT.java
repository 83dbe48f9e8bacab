package io.automatix.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.automatix.cluster.Clusters;
import io.automatix.embedded.EmbeddedObjectStore;
import io.automatix.ssh.Transports;
import io.automatix.testing.AmqpTestClient;
import io.automatix.testing.CliProcess;
import io.automatix.testing.LoginAlerts;
import io.automatix.testing.RunningRouter;
import io.automatix.testing.RunsDb;
import io.automatix.testing.TestHome;
import io.automatix.testing.TestHosts;
import io.automatix.testing.TestServices;
import io.automatix.testing.Trees;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A two-factor site as NeSI runs one: the cluster's login host behind the bastion asks for a key and
 * a TOTP code (transport=openssh, login=interactive), the acquisition host is behind the bastion too.
 * A person logs in once with {@code automatix login}; then 20 CyberShake realisations are
 * transferred, processed on SLURM and archived with no further prompt (the login host's sshd sees
 * one keyboard-interactive login). The master connection is killed mid-run: the cluster needs a
 * login, one alert says so, nothing fails, and a run offered to another cluster meanwhile goes all
 * the way; after the next login everything completes, and the
 * fault suite's invariants hold (nothing lost, no SLURM job twice).
 */
class TwoFactorSiteIT {

    private static final int RUNS = 20;
    private static final String S3_KEY = "tfa-key";

    @Test
    void oneLoginCarriesAStudyThroughAKilledMasterConnectionAndASecondLogin() throws Exception {
        TestHosts.requireUp();
        String tag = UUID.randomUUID().toString().substring(0, 6);
        String database = TestServices.createDatabase();
        String vhost = TestServices.createVirtualHost();
        Path work = Files.createTempDirectory("automatix-tfa");
        EmbeddedObjectStore s3 =
                new EmbeddedObjectStore(work.resolve("s3"), TestServices.freePort(), S3_KEY, "tfa-secret-" + tag);
        s3.start();
        Path acquisition = TestServices.sharedDirectory("acquisition", false);
        Path scratch = TestServices.sharedDirectory("scratch", true);
        RunsDb db = new RunsDb(database);
        RunningRouter router = null;
        try (AmqpTestClient amqp = AmqpTestClient.rabbitmq(vhost);
                SlurmLedger slurm = SlurmLedger.reading(tag)) {
            router = router(database, vhost, s3, tag, scratch);
            String url = router.url("");
            long mark = TestHosts.logMark("login", TestHosts.LOGIN_2FA_PORT);

            CliProcess.Result login = CliProcess.run(url, Map.of(), TestHosts.totpCode(), "login", "nesi", "--relay");
            assertThat(login.exit()).as(login.err()).isZero();
            assertThat(alerts(amqp))
                    .as("the alert while it waited for its first login")
                    .isLessThanOrEqualTo(1);

            Set<String> offered = new HashSet<>();
            for (int i = 0; i < RUNS; i++) {
                String run = String.format("tfa_%s_%02d", tag, i);
                Path data = acquisition.resolve(run);
                Trees.write(data, i, 20_000, 5_000, 1_000);
                String offer = "{\"name\":\"" + run + "\",\"source_host\":\"daq\",\"source_path\":\"" + data
                        + "\",\"cluster\":\"nesi\",\"pipeline\":\"cybershake\"}";
                assertThat(router.postJson("/api/runs", offer).statusCode()).isEqualTo(201);
                offered.add(run);
            }
            await().atMost(Duration.ofMinutes(3))
                    .until(() ->
                            Integer.parseInt(db.value("SELECT count(*) FROM jobs WHERE scheduler_job_id IS NOT NULL"))
                                    >= RUNS);
            // transfers, submissions, polls so far: all on the one login
            assertThat(TestHosts.keyboardInteractiveLogins("login", TestHosts.LOGIN_2FA_PORT, mark))
                    .isEqualTo(1);

            killMaster(router);
            AtomicInteger drops = new AtomicInteger();
            await().atMost(Duration.ofSeconds(30)).until(() -> drops.addAndGet(alerts(amqp)) > 0);
            assertThat(router.get("/observe/health").body()).contains("degraded (needs-login)", "automatix login nesi");
            // another cluster keeps working meanwhile: a run offered to it now goes all the way
            String other = "tfa_" + tag + "_hpc";
            Path otherData = acquisition.resolve(other);
            Trees.write(otherData, 99, 20_000, 5_000, 1_000);
            assertThat(router.postJson(
                                    "/api/runs",
                                    "{\"name\":\"" + other + "\",\"source_path\":\"" + otherData
                                            + "\",\"cluster\":\"hpc\",\"pipeline\":\"cybershake\"}")
                            .statusCode())
                    .isEqualTo(201);
            offered.add(other);
            db.awaitProcessed(other, Duration.ofSeconds(90));
            assertThat(router.get("/observe/health").body()).contains("degraded (needs-login)");
            // and the waiting cluster's work failed nothing
            assertThat(db.value("SELECT count(*) FROM runs WHERE processed_status = 'failed'"
                            + " OR raw_status LIKE '%failed'"))
                    .isEqualTo("0");
            assertThat(db.value("SELECT count(*) FROM jobs WHERE state IN ('failed', 'lost', 'cancelled')"))
                    .isEqualTo("0");
            assertThat(drops.get() + alerts(amqp)).as("one alert for the drop").isEqualTo(1);

            CliProcess.Result again = CliProcess.run(url, Map.of(), TestHosts.totpCode(), "login", "nesi", "--relay");
            assertThat(again.exit()).as(again.err()).isZero();
            await().atMost(Duration.ofMinutes(6))
                    .pollInterval(Duration.ofSeconds(2))
                    .until(() -> db.value("SELECT count(*) FROM runs WHERE raw_status = 'archived'")
                            .equals(String.valueOf(RUNS + 1)));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> "0".equals(db.value("SELECT count(*) FROM events WHERE published_at IS NULL")));
            slurm.read();
            Invariants.Figures figures = new Invariants(db, vhost, tag, work.resolve("s3")).check(offered, slurm);
            assertThat(figures.archived()).isEqualTo(RUNS + 1);
            assertThat(figures.duplicates()).isZero();
            assertThat(alerts(amqp)).as("one alert per drop").isZero();
            assertThat(TestHosts.keyboardInteractiveLogins("login", TestHosts.LOGIN_2FA_PORT, mark))
                    .isEqualTo(2);
        } finally {
            if (router != null) {
                CliProcess.run(router.url(""), Map.of(), null, "logout", "nesi");
                router.close();
            }
            s3.stop();
            TestServices.dropDatabase(database);
            TestServices.deleteVirtualHost(vhost);
        }
    }

    private static RunningRouter router(String database, String vhost, EmbeddedObjectStore s3, String tag, Path scratch)
            throws Exception {
        String c = "automatix.clusters.nesi.";
        String d = "automatix.sources.daq.";
        RunningRouter.Builder builder = RunningRouter.builder()
                .home(TestHome.copyOfProject().path())
                .services(database, vhost)
                .sshHost("automatix.clusters.hpc")
                .property("automatix.clusters.hpc.scratch", scratch.toString())
                .property("automatix.clusters.hpc.push-url", "amqp://guest:guest@127.0.0.1:5672/" + vhost)
                .property(c + "host", TestHosts.LOGIN_2FA)
                .property(c + "transport", "openssh")
                .property(c + "login", "interactive")
                .property(c + "ssh-config", TestHosts.SSH_CONFIG.toString())
                .property(c + "scratch", scratch.toString())
                .property(c + "push-url", "amqp://guest:guest@127.0.0.1:5672/" + vhost)
                .property(d + "host", TestHosts.ACQ)
                .property(d + "ssh-config", TestHosts.SSH_CONFIG.toString())
                .property(d + "connects-per-minute", "60")
                .property(d + "roots", System.getProperty("java.io.tmpdir"))
                .property("automatix.ssh.login-check-ms", "500")
                .property("automatix.s3.endpoint", s3.endpoint())
                .property("automatix.s3.access-key", S3_KEY)
                .property("automatix.s3.secret-key", "tfa-secret-" + tag);
        Map.of(
                        "automatix.transfer.poll-ms", "1000",
                        "automatix.transfer.backoff-seconds", "2",
                        "automatix.process.plan-ms", "500",
                        "automatix.process.poll-min-ms", "500",
                        "automatix.process.poll-max-ms", "2000",
                        "automatix.process.retry-delay-seconds", "1",
                        "automatix.archive.poll-ms", "1000",
                        "automatix.archive.bundle-runs", "5",
                        "automatix.archive.bundle-age-seconds", "5",
                        "automatix.archive.level", "1")
                .forEach(builder::property);
        return builder.start();
    }

    /** SIGKILL of the master ssh process, as a dropped network or an idle-killing firewall would end it. */
    private static void killMaster(RunningRouter router) throws Exception {
        Clusters clusters = router.context().getRegistry().lookupByNameAndType("clusters", Clusters.class);
        Transports transports = router.context().getRegistry().lookupByNameAndType("transports", Transports.class);
        Path socket =
                transports.openssh(clusters.get("nesi").orElseThrow().ssh()).socket();
        assertThat(Outages.killSshMaster(socket))
                .as("the master behind " + socket)
                .isPresent();
    }

    private static int alerts(AmqpTestClient amqp) throws Exception {
        return LoginAlerts.take(amqp, "nesi");
    }
}
