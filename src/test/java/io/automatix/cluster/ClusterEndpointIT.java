package io.automatix.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.automatix.ssh.Transports;
import io.automatix.testing.TestServices;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code cluster:} component against the real OpenSSH on loopback (cluster "hpc"): found by its
 * service file, on the router's pooled SSH sessions, refusing programs off the allow-list, passing
 * arguments verbatim whatever shell syntax they hold.
 */
class ClusterEndpointIT {

    private static final List<String> HOSTILE = List.of(
            "a b'c $(id) `id` ; rm -rf /tmp/nope",
            "\"double\" * ? ~ & | > < \\ $HOME ${PATH}",
            "-n",
            "",
            "tab\there\nnewline",
            "été ünïcode ✓");

    private static Transports sessions;
    private static CamelContext context;
    private static ProducerTemplate template;

    @BeforeAll
    static void start() throws Exception {
        TestServices.requireSshKey();
        Map<String, String> settings = new HashMap<>();
        TestServices.sshHost(settings, "automatix.clusters.hpc");
        Properties properties = new Properties();
        properties.putAll(settings);
        sessions = new Transports(Duration.ofSeconds(10));
        sessions.start();
        Clusters clusters = Clusters.from(properties, Path.of("target"), sessions);
        context = new DefaultCamelContext();
        // as the router binds them; the component itself comes from its META-INF/services file
        context.getRegistry().bind("clusters", clusters);
        Properties endpointSettings = new Properties();
        endpointSettings.setProperty(ClusterComponent.COMMANDS, "printf, sh,sleep");
        endpointSettings.setProperty(ClusterComponent.TIMEOUT, "30");
        context.getPropertiesComponent().setInitialProperties(endpointSettings);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:each-line").to("cluster:hpc?command=printf&arguments=:format");
                from("direct:who").to("cluster:hpc?command=sh&arguments=-c :script");
                from("direct:local").to("cluster:local?command=printf&arguments=:format");
            }
        });
        context.start();
        template = context.createProducerTemplate();
    }

    @AfterAll
    static void stop() {
        if (context != null) {
            context.stop();
        }
        if (sessions != null) {
            sessions.stop();
        }
    }

    @Test
    void theComponentIsFoundByItsServiceFile() {
        assertThat(context.getComponent("cluster")).isInstanceOf(ClusterComponent.class);
    }

    @Test
    void argumentsWithShellSyntaxArriveVerbatimOverSsh() {
        Exchange result = template.request("direct:each-line", e -> {
            e.getMessage().setHeader("format", "[%s]\n");
            e.getMessage().setHeader(ClusterEndpoint.ARGUMENTS, HOSTILE);
        });
        assertThat(result.getException()).isNull();
        StringBuilder expected = new StringBuilder();
        HOSTILE.forEach(a -> expected.append('[').append(a).append("]\n"));
        assertThat(result.getMessage().getBody(String.class)).isEqualTo(expected.toString());
        assertThat(result.getMessage().getHeader(ClusterEndpoint.EXIT_CODE)).isEqualTo(0);
        assertThat(result.getMessage().getHeader(ClusterEndpoint.TIMED_OUT)).isEqualTo(false);
    }

    @Test
    void aHeaderNamedInTheArgumentsIsOneArgumentWhateverItHolds() {
        String format = "%s $(touch /tmp/injected-" + ProcessHandle.current().pid() + ") ; echo owned\n";
        String out = template.requestBodyAndHeader("direct:each-line", null, "format", format, String.class);
        assertThat(out).isEqualTo(format.replace("%s", ""));
        assertThat(Path.of("/tmp/injected-" + ProcessHandle.current().pid())).doesNotExist();
    }

    @Test
    void theCommandRunsAsTheClustersAccountAndItsOutputAndExitComeBack() {
        Exchange result = template.request(
                "direct:who", e -> e.getMessage().setHeader("script", "id -un; echo oops >&2; exit 3"));
        assertThat(result.getException())
                .isInstanceOf(ClusterCommandException.class)
                .hasMessageContaining("cluster hpc")
                .hasMessageContaining("sh -c")
                .hasMessageContaining("exit 3")
                .hasMessageContaining("oops");
        assertThat(result.getMessage().getBody(String.class)).isEqualTo(TestServices.SSH_USER + "\n");
        assertThat(result.getMessage().getHeader(ClusterEndpoint.EXIT_CODE)).isEqualTo(3);
        assertThat(result.getMessage().getHeader(ClusterEndpoint.STDERR, String.class))
                .isEqualTo("oops\n");
    }

    @Test
    void failOnErrorFalseLeavesTheVerdictToTheRoute() {
        Exchange result = template.request(
                "cluster:hpc?command=sh&arguments=-c :script&failOnError=false",
                e -> e.getMessage().setHeader("script", "exit 7"));
        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getHeader(ClusterEndpoint.EXIT_CODE)).isEqualTo(7);
    }

    @Test
    void withStdinTheBodyIsWhatTheCommandReads() {
        assertThat(template.requestBodyAndHeader(
                        "cluster:hpc?command=sh&arguments=-c :script&stdin=true",
                        "shout $(id)\n",
                        "script",
                        "tr a-z A-Z",
                        String.class))
                .isEqualTo("SHOUT $(ID)\n");
    }

    @Test
    void aCommandOffTheAllowListIsRefusedBeforeAnythingRuns() {
        assertThatThrownBy(() -> template.requestBodyAndHeader(
                        "cluster:hpc?command=touch&arguments=:path",
                        null,
                        "path",
                        "/tmp/refused-" + ProcessHandle.current().pid()))
                .isInstanceOf(CamelExecutionException.class)
                .cause()
                .isInstanceOf(ClusterCommandException.class)
                .hasMessage("cluster hpc: 'touch' is not a command routes may run"
                        + " (automatix.cluster-endpoint.commands: printf, sh, sleep)");
        assertThat(Path.of("/tmp/refused-" + ProcessHandle.current().pid())).doesNotExist();
    }

    @Test
    void shellSyntaxInTheRouteIsAnErrorWhenTheRouteIsMade() {
        assertThatThrownBy(() -> context.addRoutes(new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("direct:bad").to("cluster:hpc?command=printf&arguments=x;reboot");
                    }
                }))
                .isInstanceOf(FailedToCreateRouteException.class)
                .rootCause()
                .hasMessageContaining("'x;reboot' is not allowed in arguments");
        assertThatThrownBy(() -> context.getEndpoint("cluster:hpc?command=printf x"))
                .rootCause()
                .hasMessageContaining("must be one program name");
        assertThatThrownBy(() -> context.getEndpoint("cluster:nowhere?command=printf"))
                .rootCause()
                .hasMessageContaining("no cluster 'nowhere'")
                .hasMessageContaining("configured: hpc, local");
    }

    @Test
    void theTimeLimitStopsACommand() {
        long start = System.nanoTime();
        Exchange result = template.request("cluster:hpc?command=sleep&arguments=60&timeoutSeconds=1", e -> {});
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        assertThat(result.getException()).hasMessageContaining("cluster hpc").hasMessageContaining("timed out");
        assertThat(result.getMessage().getHeader(ClusterEndpoint.TIMED_OUT)).isEqualTo(true);
    }

    @Test
    void aClusterWithoutHostRunsTheCommandHere() {
        assertThat(template.requestBodyAndHeader("direct:local", null, "format", "local %s\n", String.class))
                .isEqualTo("local \n");
    }
}
