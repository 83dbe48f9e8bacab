package io.automatix.cluster;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.automatix.ssh.LoginRelay;
import io.automatix.ssh.NeedsLogin;
import io.automatix.ssh.OpenSshTransport;
import io.automatix.ssh.Transport;
import io.automatix.ssh.Transports;
import io.automatix.supervise.Outgoing;

/**
 * The logins of the clusters reached over {@code transport=openssh}: their state (up, or
 * needs-login since when), the command a person runs to log in, logins relayed through the router,
 * logouts, and one alert per dropped interactive connection (routes/supervise.camel.yaml, route
 * {@code ssh-logins}).
 */
public final class ClusterLogins {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long an API call waits for ssh's next prompt or its end. */
    private static final Duration STEP = Duration.ofSeconds(20);

    private final Clusters clusters;
    private final Transports transports;
    private final Map<String, LoginRelay> relays = new ConcurrentHashMap<>();

    public ClusterLogins(Clusters clusters, Transports transports) {
        this.clusters = clusters;
        this.transports = transports;
    }

    /** The cluster's login state and the command that opens its connection in a person's own terminal. */
    public Map<String, Object> status(String name) {
        OpenSshTransport master = master(name);
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("cluster", name);
        status.put("login", master.target().login());
        Optional<NeedsLogin> needs = master.interactive() ? master.needsLogin() : Optional.empty();
        if (needs.isPresent()) {
            status.put("state", "needs-login");
            status.put("since", needs.get().since().toString());
            status.put("fix", needs.get().fix());
        } else {
            status.put("state", master.interactive() || master.alive() ? "up" : "down");
        }
        status.put("command", master.masterCommand());
        Map<String, String> environment = new LinkedHashMap<>();
        master.environment().forEach((k, v) -> environment.put(k, v == null ? "" : v));
        status.put("environment", environment);
        return status;
    }

    /** Starts a login relayed through the router (or goes on with the running one): the first prompt, or the end. */
    public Map<String, Object> start(String name) throws IOException {
        OpenSshTransport master = master(name);
        LoginRelay relay;
        synchronized (relays) {
            relay = relays.get(name);
            if (relay == null || relay.ended()) {
                relay = transports.relayLogin(master.target());
                relays.put(name, relay);
            }
        }
        return withCluster(name, relay.next(STEP));
    }

    /** The person's answer to the prompt shown: the next prompt, or the end. */
    public Map<String, Object> answer(String name, String answer) throws IOException {
        master(name);
        LoginRelay relay = relays.get(name);
        if (relay == null || relay.ended()) {
            throw new IllegalStateException("no login of " + name
                    + " is waiting for an answer; start one: automatix login " + name + " --relay");
        }
        return withCluster(name, relay.answer(answer, STEP));
    }

    /** Closes the connection: an interactive cluster needs a login again, a batch one is opened again by its next command. */
    public Map<String, Object> logout(String name) throws IOException {
        OpenSshTransport master = master(name);
        master.close();
        if (!master.interactive()) {
            clusters.shell(clusters.get(name).orElseThrow()).run(List.of("true"), Duration.ofSeconds(60));
        }
        return status(name);
    }

    /** Looks at every interactive connection; one alert per drop (for the alerts exchange). */
    public List<Outgoing> watch() {
        List<Outgoing> alerts = new ArrayList<>();
        for (Cluster cluster : clusters.all()) {
            if (!cluster.remote() || cluster.ssh().transport() != Transport.Kind.OPENSSH) {
                continue;
            }
            OpenSshTransport master = transports.openssh(cluster.ssh());
            if (!master.interactive()) {
                continue;
            }
            master.needsLogin();
            master.takeDrop().ifPresent(drop -> alerts.add(alert(cluster, drop)));
        }
        return alerts;
    }

    private static Outgoing alert(Cluster cluster, NeedsLogin drop) {
        Map<String, Object> alert = new LinkedHashMap<>();
        alert.put("type", "needs-login");
        alert.put("cluster", cluster.name());
        alert.put("since", drop.since().toString());
        alert.put("command", drop.command());
        alert.put("reason", drop.getMessage());
        alert.put("fix", drop.fix());
        try {
            return new Outgoing(Outgoing.ALERTS, JSON.writeValueAsString(alert));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> withCluster(String name, Map<String, Object> step) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("cluster", name);
        answer.putAll(step);
        return answer;
    }

    private OpenSshTransport master(String name) {
        Cluster cluster = clusters.get(name)
                .orElseThrow(() -> new IllegalArgumentException("no cluster '" + name + "' is configured"));
        if (!cluster.remote() || cluster.ssh().transport() != Transport.Kind.OPENSSH) {
            throw new IllegalStateException("cluster " + name + " is not reached with transport=openssh: "
                    + "there is no login to open (set automatix.clusters." + name + ".transport = openssh)");
        }
        return transports.openssh(cluster.ssh());
    }
}
