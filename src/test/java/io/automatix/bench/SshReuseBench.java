package io.automatix.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.automatix.ssh.CommandResult;
import io.automatix.ssh.Shell;
import io.automatix.ssh.SshSessions;
import io.automatix.ssh.SshTarget;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * Remote command overhead: N {@code true} commands on Automatix's reused SSH session versus camel-ssh,
 * which opens a new connection per message. Both against the same OpenSSH server, in one process.
 * Run by bench/ssh-reuse (not a test).
 */
public final class SshReuseBench {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        Path home = Path.of(System.getenv().getOrDefault("AUTOMATIX_TEST_HOME", "/var/lib/automatix-test"));
        Path key = home.resolve("ssh/id_ed25519");
        Path knownHosts = home.resolve("ssh/known_hosts");
        String user = System.getenv().getOrDefault("AUTOMATIX_TEST_SSH_USER", "automatix-test");
        SshTarget target = BenchRouter.testAccount();

        SshSessions sessions = new SshSessions(Duration.ofSeconds(10));
        sessions.start();
        Shell shell = sessions.shell(target);
        shell.run(List.of("true"), Duration.ofSeconds(10)); // connect once, as a running router has
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            CommandResult r = shell.run(List.of("true"), Duration.ofSeconds(10));
            if (!r.succeeded()) {
                throw new IllegalStateException("true failed: " + r.summary());
            }
        }
        double reused = (System.nanoTime() - start) / 1e9;
        sessions.stop();

        CamelContext camel = new DefaultCamelContext();
        camel.start();
        ProducerTemplate template = camel.createProducerTemplate();
        String uri = "ssh://" + user + "@127.0.0.1:2222?certResource=file:" + key + "&knownHostsResource=file:"
                + knownHosts + "&failOnUnknownHost=true";
        template.requestBody(uri, "true"); // warm-up
        start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Exchange e = template.request(uri, x -> x.getMessage().setBody("true"));
            Integer exit = e.getMessage().getHeader("CamelSshExitValue", Integer.class);
            if (e.getException() != null || exit == null || exit != 0) {
                throw new IllegalStateException("camel-ssh true failed: " + e.getException() + " exit " + exit);
            }
        }
        double perMessage = (System.nanoTime() - start) / 1e9;
        camel.stop();

        System.out.printf("commands: %d x true on OpenSSH 127.0.0.1:2222%n", n);
        System.out.printf(
                "reused session (Automatix SshSessions): %.2f s, %.1f ms/command%n", reused, reused * 1000 / n);
        System.out.printf(
                "connection per command (camel-ssh):     %.2f s, %.1f ms/command%n", perMessage, perMessage * 1000 / n);
        System.out.printf("ratio: reused session is %.1fx faster (target >= 10x)%n", perMessage / reused);
    }
}
