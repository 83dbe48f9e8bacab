package io.automatix.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import io.automatix.ssh.Shell;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.NoTypeConversionAvailableException;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/**
 * One program on one cluster. The program is fixed in the route ({@code command}, which must be on
 * the allow-list); its arguments are the words of {@code arguments}, where {@code :name} stands for
 * the value of header (or variable) {@code name} as exactly one argument, followed by the list in
 * header {@link #ARGUMENTS}. Every argument is quoted on its way to the remote shell, so a value from
 * a message arrives verbatim and is never read as shell syntax.
 */
public final class ClusterEndpoint extends DefaultEndpoint {

    /** In: more arguments (a list of strings, or one string as one argument), appended after {@code arguments}. */
    public static final String ARGUMENTS = "AutomatixClusterArguments";
    /** Out: the exit status (-1 when unknown). */
    public static final String EXIT_CODE = "AutomatixClusterExitCode";
    /** Out: what the command wrote to stderr. */
    public static final String STDERR = "AutomatixClusterStderr";
    /** Out: true when the time limit stopped the command. */
    public static final String TIMED_OUT = "AutomatixClusterTimedOut";

    /** Literal words of a route's {@code arguments}: the closed alphabet of workflow step commands. */
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_./=:,@%+-]+");

    private static final Pattern REFERENCE = Pattern.compile(":([A-Za-z][A-Za-z0-9_.-]*)");

    private final Cluster cluster;
    private final Clusters clusters;
    private final Set<String> allowed;
    private String command;
    private String arguments;
    private long timeoutSeconds;
    private boolean failOnError = true;
    private boolean stdin;
    private List<String> words = List.of();

    ClusterEndpoint(String uri, ClusterComponent component, Clusters clusters, Cluster cluster, Set<String> allowed) {
        super(uri, component);
        this.cluster = cluster;
        this.clusters = clusters;
        this.allowed = allowed;
    }

    @Override
    public Producer createProducer() {
        return new ClusterProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("cluster: endpoints run commands; they cannot be consumed from");
    }

    /** Checks the route's arguments once, when the endpoint is made: a bad word is a startup error. */
    void parseArguments() {
        if (command == null || command.isBlank()) {
            throw new IllegalArgumentException(getEndpointUri() + ": the command option (a program) is required");
        }
        if (!WORD.matcher(command).matches()) {
            throw new IllegalArgumentException(getEndpointUri() + ": command '" + command
                    + "' must be one program name (letters, digits and _ . / = : , @ % + - only), its arguments"
                    + " go in the arguments option or the " + ARGUMENTS + " header");
        }
        List<String> parsed = new ArrayList<>();
        if (arguments != null) {
            for (String word : arguments.strip().split("\\s+")) {
                if (word.isEmpty()) {
                    continue;
                }
                if (word.startsWith(":")
                        ? !REFERENCE.matcher(word).matches()
                        : !WORD.matcher(word).matches()) {
                    throw new IllegalArgumentException(getEndpointUri() + ": '" + word
                            + "' is not allowed in arguments (letters, digits and _ . / = : , @ % + - only,"
                            + " or :name for a header; no quotes or shell syntax)");
                }
                parsed.add(word);
            }
        }
        words = List.copyOf(parsed);
    }

    /** @throws ClusterCommandException when the program is not on the allow-list */
    void checkAllowed() {
        if (!allowed.contains(command)) {
            throw new ClusterCommandException("cluster " + cluster.name() + ": '" + command
                    + "' is not a command routes may run ("
                    + ClusterComponent.COMMANDS + ": "
                    + (allowed.isEmpty()
                            ? "none"
                            : String.join(", ", allowed.stream().sorted().toList()))
                    + ")");
        }
    }

    /** The argument list for this exchange: the program, the route's words, then the header's list. */
    List<String> argv(Exchange exchange) throws NoTypeConversionAvailableException {
        List<String> argv = new ArrayList<>();
        argv.add(command);
        for (String word : words) {
            if (word.startsWith(":")) {
                String name = word.substring(1);
                Object value = exchange.getMessage().getHeader(name);
                if (value == null) {
                    value = exchange.getVariable(name);
                }
                if (value == null) {
                    throw new ClusterCommandException("cluster " + cluster.name() + ": " + command + " needs header '"
                            + name + "' (argument " + word + "), which the message does not have");
                }
                argv.add(exchange.getContext().getTypeConverter().mandatoryConvertTo(String.class, value));
            } else {
                argv.add(word);
            }
        }
        Object more = exchange.getMessage().getHeader(ARGUMENTS);
        if (more instanceof Collection<?> list) {
            for (Object a : list) {
                argv.add(String.valueOf(a));
            }
        } else if (more != null) {
            argv.add(exchange.getContext().getTypeConverter().convertTo(String.class, more));
        }
        return argv;
    }

    /** Where the command runs: the cluster's pooled SSH connection, or this host for a cluster without one. */
    Shell shell() {
        return clusters.shell(cluster);
    }

    Cluster cluster() {
        return cluster;
    }

    Duration timeout() {
        return Duration.ofSeconds(timeoutSeconds);
    }

    public String getCommand() {
        return command;
    }

    /** The program to run, one word on the allow-list ({@code automatix.cluster-endpoint.commands}). */
    public void setCommand(String command) {
        this.command = command;
    }

    public String getArguments() {
        return arguments;
    }

    /** Words after the program; {@code :name} is the value of header {@code name}, as one argument. */
    public void setArguments(String arguments) {
        this.arguments = arguments;
    }

    public long getTimeoutSeconds() {
        return timeoutSeconds;
    }

    /** The command's wall-clock limit (default {@code automatix.cluster-endpoint.timeout-seconds}). */
    public void setTimeoutSeconds(long timeoutSeconds) {
        if (timeoutSeconds < 1) {
            throw new IllegalArgumentException("timeoutSeconds must be at least 1, not " + timeoutSeconds);
        }
        this.timeoutSeconds = timeoutSeconds;
    }

    public boolean isFailOnError() {
        return failOnError;
    }

    /** False: a non-zero exit or a time-out does not fail the exchange; the headers tell. */
    public void setFailOnError(boolean failOnError) {
        this.failOnError = failOnError;
    }

    public boolean isStdin() {
        return stdin;
    }

    /** True: the message body is the command's standard input (default: it reads nothing). */
    public void setStdin(boolean stdin) {
        this.stdin = stdin;
    }
}
