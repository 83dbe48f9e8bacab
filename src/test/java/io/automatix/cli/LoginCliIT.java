package io.automatix.cli;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.automatix.cluster.Clusters;
import io.automatix.ssh.OpenSshTransportIT;
import io.automatix.testing.AmqpTestClient;
import io.automatix.testing.CliProcess;
import io.automatix.testing.LoginAlerts;
import io.automatix.testing.RunningRouter;
import io.automatix.testing.TestHome;
import io.automatix.testing.TestHosts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code automatix login} and {@code logout} (the jar, as a person runs it) against a router with a
 * two-factor cluster (transport=openssh, login=interactive, the test hosts' port 2200): the router
 * waits for the login (health degraded, one alert on automatix.alerts), the CLI relays the
 * one-time code or runs ssh in the person's terminal, and the cluster is up after it.
 */
class LoginCliIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static RunningRouter router;
    private static AmqpTestClient amqp;

    @BeforeAll
    static void start() throws Exception {
        TestHosts.requireUp();
        String c = "automatix.clusters.tfa.";
        router = RunningRouter.builder()
                .home(TestHome.copyOfProject().path())
                .property(c + "host", TestHosts.LOGIN_2FA)
                .property(c + "transport", "openssh")
                .property(c + "login", "interactive")
                .property(c + "ssh-config", TestHosts.SSH_CONFIG.toString())
                .property("automatix.ssh.login-check-ms", "500")
                .start();
        amqp = AmqpTestClient.rabbitmq(router.vhost());
    }

    @AfterAll
    static void stop() throws Exception {
        if (amqp != null) {
            amqp.close();
        }
        if (router != null) {
            cli(Map.of(), null, "logout", "tfa");
            router.close();
        }
    }

    private static CliProcess.Result cli(Map<String, String> env, String stdin, String... args) throws Exception {
        return CliProcess.run(router.url(""), env, stdin, args);
    }

    private static int needsLoginAlerts() throws Exception {
        return LoginAlerts.take(amqp, "tfa");
    }

    private static Clusters clusters() {
        return router.context().getRegistry().lookupByNameAndType("clusters", Clusters.class);
    }

    /** The health answer once it is 200 (a consumer check is DOWN until its route first polled). */
    private static JsonNode health(String path) throws Exception {
        HttpResponse<String>[] last = new HttpResponse[1];
        await().atMost(Duration.ofSeconds(20)).until(() -> (last[0] = router.get(path)).statusCode() == 200);
        return JSON.readTree(last[0].body());
    }

    @Test
    void aTwoFactorClusterWaitsForALoginThroughTheRelayOrTheTerminal() throws Exception {
        long mark = TestHosts.logMark("login", TestHosts.LOGIN_2FA_PORT);
        // before any login: degraded, the router ready, one alert once work (the health check) waited
        assertThat(health("/observe/health").toString()).contains("degraded (needs-login)", "automatix login tfa");
        health("/observe/health/ready");
        await().atMost(Duration.ofSeconds(15)).until(() -> needsLoginAlerts() == 1);

        CliProcess.Result relayed = cli(Map.of(), TestHosts.totpCode(), "login", "tfa", "--relay");
        assertThat(relayed.exit()).as(relayed.err()).isZero();
        assertThat(relayed.out()).contains("tfa: logged in");
        assertThat(relayed.err()).isNotBlank(); // the prompt, shown to the person
        assertThat(health("/observe/health").toString()).doesNotContain("needs-login");
        String first = OpenSshTransportIT.connection(
                clusters().shell(clusters().get("tfa").orElseThrow()));
        assertThat(OpenSshTransportIT.logins(
                        "login", TestHosts.LOGIN_2FA_PORT, mark, first, "Accepted keyboard-interactive"))
                .isEqualTo(1);
        Thread.sleep(1500); // a few ticks of the watch: no alert while up
        assertThat(needsLoginAlerts()).isZero();

        CliProcess.Result out = cli(Map.of(), null, "logout", "tfa");
        assertThat(out.exit()).as(out.err()).isZero();
        assertThat(JSON.readTree(out.out()).path("state").asText()).isEqualTo("needs-login");
        await().atMost(Duration.ofSeconds(15)).until(() -> needsLoginAlerts() == 1);

        // on the router's host: the router's own ssh command in the person's terminal (the askpass
        // answers as the person would type)
        CliProcess.Result local = cli(
                Map.of(
                        "SSH_ASKPASS", TestHosts.ASKPASS.toString(),
                        "SSH_ASKPASS_REQUIRE", "force",
                        "AMX_ASKPASS_ANSWER", TestHosts.totpCode()),
                null,
                "login",
                "tfa");
        assertThat(local.exit()).as(local.err()).isZero();
        assertThat(local.out()).contains("tfa: logged in");
        String second = OpenSshTransportIT.connection(
                clusters().shell(clusters().get("tfa").orElseThrow()));
        assertThat(second).isNotEqualTo(first);
        assertThat(OpenSshTransportIT.logins(
                        "login", TestHosts.LOGIN_2FA_PORT, mark, second, "Accepted keyboard-interactive"))
                .isEqualTo(1);
        assertThat(health("/observe/health").toString()).doesNotContain("needs-login");
    }
}
