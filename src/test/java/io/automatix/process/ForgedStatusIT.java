package io.automatix.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.automatix.amqp.AmqpTopology;
import io.automatix.testing.AmqpTestClient;
import io.automatix.testing.RunningRouter;
import io.automatix.testing.RunsDb;
import io.automatix.testing.TestHome;
import io.automatix.testing.TestServices;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A SLURM job over SSH whose status only its pushes can move (polls ten minutes apart), pushed as the
 * cluster's publish-only broker user: reports without the job's HMAC, with a wrong one, or signed with
 * another job's key are dead-lettered with the reason and leave it running; its own signed reports
 * start and end it; the publish user can do nothing but publish to the job-status exchange; and its
 * password is on no command line.
 */
class ForgedStatusIT {

    private final String tag = UUID.randomUUID().toString().substring(0, 6);

    @Test
    void onlyTheJobsOwnSignedReportsMoveIt() throws Exception {
        TestServices.requireSshKey();
        String database = TestServices.createDatabase();
        String vhost = TestServices.createVirtualHost();
        Path scratch = TestServices.sharedDirectory("scratch", true);
        Path home = TestHome.copyOfProject()
                .with("process/held.sh.ftl", "templates/test/held.sh.ftl")
                .with("process/forged.yaml", "pipelines/forged.yaml")
                .path();
        Set<String> commandLines = ConcurrentHashMap.newKeySet();
        AtomicBoolean watching = new AtomicBoolean(true);
        Thread watcher = new Thread(() -> {
            while (watching.get()) {
                commandLines.addAll(commandLines());
            }
        });
        watcher.setDaemon(true);
        try (RunningRouter router = RunningRouter.builder()
                        .home(home)
                        .services(database, vhost)
                        .sshHost("automatix.clusters.hpc")
                        .property("automatix.clusters.hpc.scratch", scratch.toString())
                        .property("automatix.clusters.hpc.push-url", TestServices.pushUrl(vhost))
                        .property("automatix.process.plan-ms", "500")
                        .property("automatix.process.poll-min-ms", "600000")
                        .property("automatix.process.poll-max-ms", "600000")
                        .property("automatix.supervise.level", "0")
                        .start();
                AmqpTestClient guest = AmqpTestClient.rabbitmq(vhost);
                Connection publisher = statusUser(vhost)) {
            RunsDb db = new RunsDb(database);
            String run = "forged_" + tag;
            String job = run + ".held.1";
            String state = "SELECT state FROM jobs WHERE scheduler_job_name = ?";
            watcher.start();
            db.ondeck(run, "hpc", "forged");
            // polls are ten minutes apart: only the job's signed 'started' can have made it running
            await().atMost(Duration.ofSeconds(90)).until(() -> "running".equals(db.value(state, job)));

            // its key and broker login are beside its script, for the service account only
            Path jobDir = scratch.resolve(run + "/.automatix");
            for (String file : List.of(job + ".key", job + ".amqp")) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(jobDir.resolve(file))))
                        .as(file)
                        .isEqualTo("rw-------");
            }
            assertThat(Files.readString(jobDir.resolve(job + ".amqp")))
                    .isEqualTo("username:" + TestServices.STATUS_USER + "\npassword:" + TestServices.STATUS_PASSWORD
                            + "\n");
            String script = Files.readString(jobDir.resolve(job + ".sh"));
            assertThat(script).contains("--authfile=").doesNotContain(TestServices.STATUS_PASSWORD);
            assertThat(script).doesNotContain(HexFormat.of().formatHex(keys(db).jobKey(job)));

            Channel channel = publisher.createChannel();
            channel.confirmSelect();
            double now = System.currentTimeMillis() / 1000.0;
            String finished = "{\"job\":\"" + job + "\",\"event\":\"finished\",\"exit_code\":0,\"at\":" + now;
            // 1. the broker's credentials alone: no HMAC
            publish(channel, finished + "}", null);
            // 2. a wrong HMAC
            publish(channel, finished + ",\"key\":\"" + job + "\"}", "00".repeat(32));
            // 3. a genuine HMAC, of another job's key (one job's key moves no other job)
            String other = "other_" + tag + ".held.1";
            String signedByOther = finished + ",\"key\":\"" + other + "\"}";
            publish(channel, signedByOther, keys(db).mac(other, signedByOther.getBytes(StandardCharsets.UTF_8)));

            List<String> reasons = new java.util.ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                GetResponse dead = guest.take(AmqpTopology.DEAD_QUEUE);
                if (dead != null) {
                    reasons.add(AmqpTestClient.header(dead, "automatix-dead-reason"));
                    assertThat(AmqpTestClient.header(dead, "automatix-dead-route"))
                            .isEqualTo("job-status");
                }
                return reasons.size() == 3;
            });
            assertThat(reasons)
                    .containsExactly(
                            "key: must name the job whose key signed the message (unsigned report of " + job + ")",
                            "automatix-mac does not match: the report of " + job + " was not signed with the key of "
                                    + job,
                            "the key of " + other + " may not report for " + job);
            Thread.sleep(2000); // anything else the listener would have done with them is done
            assertThat(db.value(state, job)).isEqualTo("running");
            assertThat(db.value("SELECT processed_status FROM runs WHERE name = ?", run))
                    .isNotEqualTo("processed");

            // the publish user may write to the job-status exchange and do nothing else
            assertRefused(publisher, c -> c.basicConsume(AmqpTopology.JOB_STATUS_QUEUE, true, (t, m) -> {}, t -> {}));
            assertRefused(publisher, c -> c.basicGet(AmqpTopology.DEAD_QUEUE, true));
            assertRefused(publisher, c -> c.queueDeclare("forged-" + tag, false, true, true, null));
            assertRefused(publisher, c -> c.queuePurge(AmqpTopology.JOB_STATUS_QUEUE));
            assertRefused(publisher, c -> {
                c.confirmSelect();
                c.basicPublish("", AmqpTopology.RUNS_QUEUE, null, "{}".getBytes(StandardCharsets.UTF_8));
                c.waitForConfirmsOrDie(5000);
            });

            // released, the job ends 0 and its signed 'finished' ends it
            Files.writeString(scratch.resolve(run + "/release"), "");
            await().atMost(Duration.ofSeconds(60)).until(() -> "succeeded".equals(db.value(state, job)));
            db.awaitProcessed(run, Duration.ofSeconds(30));
            assertThat(db.value("SELECT polls FROM cluster_polls WHERE cluster = 'hpc'"))
                    .isEqualTo("1");
        } finally {
            watching.set(false);
            TestServices.dropDatabase(database);
            TestServices.deleteVirtualHost(vhost);
        }
        // nothing on this machine, the job's amqp-publish included, had the password on its command line
        assertThat(commandLines).noneMatch(c -> c.contains(TestServices.STATUS_PASSWORD));
        List<String> publishes = commandLines.stream()
                .filter(c -> c.contains("amqp-publish") && c.contains("--server"))
                .toList();
        publishes.forEach(c -> assertThat(c).contains("--authfile="));
        // the wrapper's amqp-publish lives for milliseconds: the scan may or may not have seen it
        System.out.println("ForgedStatusIT: amqp-publish command lines seen: " + publishes);
    }

    private static StatusKeys keys(RunsDb db) throws Exception {
        return new StatusKeys(HexFormat.of().parseHex(db.value("SELECT encode(key, 'hex') FROM status_key")));
    }

    private static Connection statusUser(String vhost) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(TestServices.AMQP_HOST);
        factory.setPort(TestServices.AMQP_PORT);
        factory.setUsername(TestServices.STATUS_USER);
        factory.setPassword(TestServices.STATUS_PASSWORD);
        factory.setVirtualHost(vhost);
        return factory.newConnection("forged-status");
    }

    private static void publish(Channel channel, String body, String mac) throws Exception {
        AMQP.BasicProperties.Builder props = new AMQP.BasicProperties.Builder().contentType("application/json");
        if (mac != null) {
            props.headers(Map.of("automatix-mac", mac));
        }
        channel.basicPublish(
                AmqpTopology.JOB_STATUS_EXCHANGE, "", props.build(), body.getBytes(StandardCharsets.UTF_8));
        channel.waitForConfirmsOrDie(5000);
    }

    interface ChannelWork {
        void on(Channel channel) throws Exception;
    }

    /** The broker closes the channel with ACCESS_REFUSED (403). */
    private static void assertRefused(Connection connection, ChannelWork work) throws IOException {
        Channel channel = connection.createChannel();
        assertThatThrownBy(() -> work.on(channel))
                .satisfies(e -> assertThat(causes(e)).anyMatch(m -> m.contains("ACCESS_REFUSED")));
    }

    private static List<String> causes(Throwable e) {
        List<String> messages = new java.util.ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages.add(String.valueOf(t.getMessage()));
            if (t instanceof com.rabbitmq.client.ShutdownSignalException s) {
                messages.add(String.valueOf(s.getReason()));
            }
        }
        return messages;
    }

    /** Every process's command line now, its arguments joined by spaces. */
    private static Set<String> commandLines() {
        Set<String> lines = new java.util.HashSet<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.filter(p -> p.getFileName().toString().matches("[0-9]+")).forEach(p -> {
                try {
                    byte[] raw = Files.readAllBytes(p.resolve("cmdline"));
                    if (raw.length > 0) {
                        lines.add(new String(raw, StandardCharsets.UTF_8).replace('\0', ' '));
                    }
                } catch (IOException | RuntimeException e) {
                    // the process has ended
                }
            });
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return lines;
    }
}
