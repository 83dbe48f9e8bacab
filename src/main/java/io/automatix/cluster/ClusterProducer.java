package io.automatix.cluster;

import java.io.IOException;
import java.util.List;

import io.automatix.ssh.CommandResult;
import io.automatix.ssh.ShellQuote;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;

/** Runs the endpoint's program for each exchange: the body becomes its stdout, headers carry the rest. */
final class ClusterProducer extends DefaultProducer {

    private final ClusterEndpoint endpoint;

    ClusterProducer(ClusterEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        endpoint.checkAllowed();
        List<String> argv = endpoint.argv(exchange);
        Message message = exchange.getMessage();
        byte[] stdin = endpoint.isStdin() ? message.getMandatoryBody(byte[].class) : null;
        CommandResult result;
        try {
            result = endpoint.shell().run(argv, stdin, endpoint.timeout(), null);
        } catch (IOException e) {
            throw new IOException(
                    "cluster " + endpoint.cluster().name() + ": cannot run " + argv.get(0) + ": " + e.getMessage(), e);
        }
        message.setBody(result.stdout());
        message.setHeader(ClusterEndpoint.EXIT_CODE, result.exitCode());
        message.setHeader(ClusterEndpoint.STDERR, result.stderr());
        message.setHeader(ClusterEndpoint.TIMED_OUT, result.timedOut());
        if (!result.succeeded() && endpoint.isFailOnError()) {
            throw new ClusterCommandException("cluster " + endpoint.cluster().name() + ": "
                    + shorten(ShellQuote.command(argv)) + ": " + result.summary());
        }
    }

    private static String shorten(String command) {
        return command.length() <= 300 ? command : command.substring(0, 300) + "...";
    }
}
