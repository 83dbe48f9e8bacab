package io.automatix.cluster;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code cluster:<name>?command=<program>&arguments=...}: runs one allowed program on a configured
 * cluster from a route, on the router's pooled SSH connection to it (or as a local process for a
 * cluster without a host), quoted and time-limited like every command of the flows. Camel finds it
 * by its service file, so {@code cluster:} resolves in YAML routes; the clusters (with their SSH
 * sessions) are the ones bound in the registry, the allow-list and default time limit come from
 * {@code automatix.cluster-endpoint.commands} and {@code .timeout-seconds}.
 */
public final class ClusterComponent extends DefaultComponent {

    static final String COMMANDS = "automatix.cluster-endpoint.commands";
    static final String TIMEOUT = "automatix.cluster-endpoint.timeout-seconds";

    private Clusters clusters;
    private Set<String> commands;
    private Duration timeout;

    /** For Camel's service-file look-up: everything else is found when the first endpoint is made. */
    public ClusterComponent() {}

    public ClusterComponent(Clusters clusters, Set<String> commands, Duration timeout) {
        this.clusters = clusters;
        this.commands = Set.copyOf(commands);
        this.timeout = timeout;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        resolveDependencies();
        Cluster cluster = clusters.get(remaining)
                .orElseThrow(() -> new IllegalArgumentException("no cluster '" + remaining + "' in " + uri
                        + " (configured: "
                        + clusters.all().stream().map(Cluster::name).collect(Collectors.joining(", ")) + ")"));
        ClusterEndpoint endpoint = new ClusterEndpoint(uri, this, clusters, cluster, commands);
        endpoint.setTimeoutSeconds(Math.max(1, timeout.toSeconds()));
        setProperties(endpoint, parameters);
        endpoint.parseArguments();
        return endpoint;
    }

    private synchronized void resolveDependencies() {
        if (clusters == null) {
            clusters = getCamelContext().getRegistry().findSingleByType(Clusters.class);
        }
        if (clusters == null) {
            throw new IllegalStateException(
                    "cluster: endpoints need the router's clusters (and their SSH sessions) in the"
                            + " registry (io.automatix.AutomatixConfiguration binds them)");
        }
        PropertiesComponent properties = getCamelContext().getPropertiesComponent();
        if (commands == null) {
            commands = properties
                    .resolveProperty(COMMANDS)
                    .map(list -> Arrays.stream(list.split("[\\s,]+"))
                            .filter(c -> !c.isEmpty())
                            .collect(Collectors.toUnmodifiableSet()))
                    .orElse(Set.of());
        }
        if (timeout == null) {
            String seconds =
                    properties.resolveProperty(TIMEOUT).map(String::strip).orElse("600");
            if (!seconds.matches("[1-9][0-9]{0,6}")) {
                throw new IllegalArgumentException(
                        "bad setting '" + TIMEOUT + "': '" + seconds + "' is not a positive number of seconds");
            }
            timeout = Duration.ofSeconds(Long.parseLong(seconds));
        }
    }
}
