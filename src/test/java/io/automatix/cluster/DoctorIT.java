package io.automatix.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.automatix.testing.RunningRouter;
import io.automatix.testing.TestHosts;
import io.automatix.testing.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code automatix doctor} against real clusters: the SLURM one over SSH passes every check, a test
 * job included, whose push reaches the real broker from the compute node; broken ones fail at the
 * check that is broken, saying what to do.
 */
class DoctorIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static RunningRouter router;
    private static String database;
    private static String vhost;

    @BeforeAll
    static void start() throws Exception {
        TestServices.requireSshKey();
        TestHosts.requireUp();
        database = TestServices.createDatabase();
        vhost = TestServices.createVirtualHost();
        Path scratch = TestServices.sharedDirectory("scratch", true);
        RunningRouter.Builder builder = RunningRouter.builder()
                .services(database, vhost)
                .sshHost("automatix.clusters.hpc")
                .property("automatix.clusters.hpc.scratch", scratch.toString())
                .property("automatix.clusters.hpc.push-url", "amqp://guest:guest@127.0.0.1:5672/" + vhost)
                .sshHost("automatix.clusters.nopush")
                .property("automatix.clusters.nopush.scratch", scratch.toString())
                .property("automatix.clusters.nopush.push-url", "amqp://guest:guest@127.0.0.1:1/" + vhost)
                .sshHost("automatix.clusters.nokey")
                .property("automatix.clusters.nokey.key", "/nonexistent/id_ed25519")
                .sshHost("automatix.clusters.readonly")
                .property("automatix.clusters.readonly.scratch", "/proc/automatix-doctor")
                .property("automatix.doctor.job-timeout-seconds", "60");
        // behind the bastion and the acquisition host, by the SSH configuration's alias alone
        site(builder, "site", TestHosts.LOGIN_VIA_ACQ, TestHosts.SSH_CONFIG, null, scratch);
        site(builder, "soon", TestHosts.LOGIN, TestHosts.SSH_CONFIG_BARE, TestHosts.SOON_CERT_KEY, scratch);
        site(builder, "expired", TestHosts.LOGIN, TestHosts.SSH_CONFIG_BARE, TestHosts.EXPIRED_CERT_KEY, scratch);
        router = builder.start();
    }

    private static void site(
            RunningRouter.Builder builder, String name, String host, Path config, Path key, Path scratch) {
        String c = "automatix.clusters." + name + ".";
        builder.property(c + "host", host)
                .property(c + "ssh-config", config.toString())
                .property(c + "scratch", scratch.toString())
                .property(c + "connects-per-minute", "60");
        if (key != null) {
            builder.property(c + "key", key.toString());
        }
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

    private static JsonNode doctor(String cluster) throws Exception {
        return JSON.readTree(router.get("/api/clusters/" + cluster + "/doctor").body());
    }

    private static String outcome(JsonNode report, String check) {
        for (JsonNode c : report.path("checks")) {
            if (c.path("check").asText().equals(check)) {
                return c.path("outcome").asText() + ": " + c.path("detail").asText();
            }
        }
        return "no check " + check + " in " + report;
    }

    @Test
    void aWorkingSlurmClusterPassesEveryCheckItsTestJobPushingFromTheComputeNode() throws Exception {
        JsonNode report = doctor("hpc");
        assertThat(report.path("ok").asBoolean()).as(report.toString()).isTrue();
        assertThat(outcome(report, "login")).startsWith("pass: logged in to automatix-test@127.0.0.1:2222 over mina");
        assertThat(outcome(report, "scheduler")).isEqualTo("pass: slurm answers");
        assertThat(outcome(report, "scratch")).startsWith("pass: ").contains("is writable", "GiB free");
        assertThat(outcome(report, "push")).isEqualTo("pass: a job on a compute node reached the push URL");
    }

    @Test
    void everyHopOnTheWayIsCheckedInTurnThenTheLoginHost() throws Exception {
        JsonNode report = doctor("site");
        assertThat(report.path("ok").asBoolean()).as(report.toString()).isTrue();
        assertThat(outcome(report, "hop 1 amx-bastion")).isEqualTo("pass: reached and logged in");
        assertThat(outcome(report, "hop 2 amx-acq")).isEqualTo("pass: reached and logged in");
        assertThat(outcome(report, "login")).startsWith("pass: logged in to amx-login-via-acq over mina");
        assertThat(outcome(report, "scheduler")).isEqualTo("pass: slurm answers");
    }

    @Test
    void aCertificateAboutToExpireIsAWarningInDoctorAndHealthAndAnExpiredOneAFailure() throws Exception {
        JsonNode soon = doctor("soon");
        assertThat(soon.path("ok").asBoolean()).as(soon.toString()).isTrue();
        assertThat(outcome(soon, "certificate soon_ed25519-cert.pub"))
                .startsWith("warn: " + TestHosts.certificate(TestHosts.SOON_CERT_KEY) + " expires at ")
                .endsWith("renew it before then");
        assertThat(outcome(soon, "login")).startsWith("pass");
        JsonNode expired = doctor("expired");
        assertThat(expired.path("ok").asBoolean()).isFalse();
        assertThat(outcome(expired, "certificate expired_ed25519-cert.pub"))
                .startsWith("fail: ")
                .contains("expired at 2020-01-02");
        String health = router.get("/observe/health").body();
        assertThat(health).contains("certificate expires soon", "soon_ed25519-cert.pub");
    }

    @Test
    void aPushUrlTheComputeNodesCannotReachIsAWarningThatStatusFilesWillBeUsed() throws Exception {
        JsonNode report = doctor("nopush");
        assertThat(report.path("ok").asBoolean()).as(report.toString()).isTrue();
        assertThat(outcome(report, "push"))
                .startsWith("warn: a job on a compute node could not reach the push URL")
                .endsWith("job status will come from the status files");
    }

    @Test
    void aMissingKeyStopsAtTheLoginAndAnUnwritableScratchAtTheScratch() throws Exception {
        JsonNode nokey = doctor("nokey");
        assertThat(nokey.path("ok").asBoolean()).isFalse();
        assertThat(outcome(nokey, "login")).startsWith("fail: ").contains("/nonexistent/id_ed25519");
        assertThat(outcome(nokey, "scheduler")).startsWith("no check");
        JsonNode readonly = doctor("readonly");
        assertThat(outcome(readonly, "scheduler")).startsWith("pass");
        assertThat(outcome(readonly, "scratch"))
                .startsWith("fail: /proc/automatix-doctor is not writable")
                .contains("automatix.clusters.readonly.scratch");
    }

    @Test
    void theCommandPrintsEachCheckAndExitsOneWhenOneFails() throws Exception {
        List<String> command = new ArrayList<>(List.of(
                "java",
                "-jar",
                TestServices.PROJECT.resolve("target/automatix.jar").toString(),
                "doctor",
                "readonly"));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("AUTOMATIX_URL", router.url(""));
        builder.environment().put("AUTOMATIX_TOKEN", TestServices.API_TOKEN);
        Path out = Files.createTempFile("doctor", ".out");
        Process p = builder.redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String printed = Files.readString(out);
        assertThat(p.exitValue()).as(printed).isEqualTo(1);
        assertThat(printed)
                .contains("readonly (slurm, automatix-test@127.0.0.1:2222 via mina)")
                .containsPattern("PASS +login")
                .containsPattern("FAIL +scratch +/proc/automatix-doctor is not writable");
    }
}
