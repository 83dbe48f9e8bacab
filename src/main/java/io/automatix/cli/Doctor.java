package io.automatix.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code automatix doctor [CLUSTER]}: the router checks each cluster and says what is wrong and what to do. */
@Command(
        name = "doctor",
        mixinStandardHelpOptions = true,
        description = "Check clusters: every hop, the login, the batch system, scratch, and whether a test job"
                + " reaches the push URL. Exits 1 when a check fails.")
final class Doctor implements Callable<Integer> {

    /** The router's test job may wait in a queue (automatix.doctor.job-timeout-seconds). */
    private static final Duration TIMEOUT = Duration.ofMinutes(15);

    @ParentCommand
    AutomatixCli top;

    @Parameters(arity = "0..1", paramLabel = "CLUSTER", description = "One cluster (default: every one)")
    String cluster;

    @Override
    public Integer call() throws Exception {
        ApiClient api = top.api();
        List<String> names = new ArrayList<>();
        if (cluster != null) {
            names.add(cluster);
        } else {
            api.get("/api/clusters").forEach(c -> names.add(c.path("name").asText()));
        }
        boolean ok = true;
        for (String name : names) {
            JsonNode report = api.get("/api/clusters/" + ApiClient.encode(name) + "/doctor", TIMEOUT);
            System.out.printf(
                    "%s (%s, %s via %s)%n",
                    name,
                    report.path("scheduler").asText(),
                    report.path("host").asText(),
                    report.path("transport").asText());
            for (JsonNode check : report.path("checks")) {
                System.out.printf(
                        "  %-4s  %-22s %s%n",
                        check.path("outcome").asText().toUpperCase(Locale.ROOT),
                        check.path("check").asText(),
                        check.path("detail").asText());
            }
            ok &= report.path("ok").asBoolean();
        }
        return ok ? 0 : 1;
    }
}
