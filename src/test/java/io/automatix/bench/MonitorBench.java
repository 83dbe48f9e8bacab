package io.automatix.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import com.zaxxer.hikari.HikariDataSource;
import io.automatix.amqp.AmqpSettings;
import io.automatix.amqp.AmqpTopology;
import io.automatix.cluster.Clusters;
import io.automatix.db.Database;
import io.automatix.db.DatabaseSettings;
import io.automatix.db.Transactions;
import io.automatix.process.JobEngine;
import io.automatix.process.JobSettings;
import io.automatix.process.JobStatusListener;
import io.automatix.process.JobTemplates;
import io.automatix.process.PipelineParser;
import io.automatix.process.Pipelines;
import io.automatix.process.StatusKeys;
import io.automatix.process.SubmissionObserver;
import io.automatix.scheduler.BatchScheduler;
import io.automatix.scheduler.BatchSystems;
import io.automatix.ssh.CommandResult;
import io.automatix.ssh.Shell;
import io.automatix.ssh.SshSessions;
import io.automatix.ssh.SshTarget;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The monitor's two costs, on the real services, run by bench/monitor:
 * <ol>
 * <li>job-status messages applied per second by the batch listener (one transaction per batch) vs a
 * baseline that applies each message with its own UPDATE and transaction, same broker, same database;</li>
 * <li>scheduler calls per minute for 1,000 active jobs (held SLURM jobs) by the poller, vs one call
 * per job per poll.</li>
 * </ol>
 * Arguments: messages, database, vhost, active jobs.
 */
public final class MonitorBench {

    public static void main(String[] args) throws Exception {
        int messages = Integer.parseInt(args[0]);
        String database = args[1];
        String vhost = args[2];
        int active = Integer.parseInt(args[3]);
        HikariDataSource db = Database.open(
                new DatabaseSettings("jdbc:postgresql://127.0.0.1:5432/" + database, "postgres", "postgres", 10));
        Database.migrate(db);
        CachingConnectionFactory rabbit =
                AmqpTopology.connectionFactory(new AmqpSettings("127.0.0.1", 5672, "guest", "guest", vhost));
        AmqpTopology.declareOnConnect(rabbit);
        JdbcTemplate jdbc = new JdbcTemplate(db);
        SshTarget target = BenchRouter.testAccount();
        SshSessions ssh = new SshSessions(Duration.ofSeconds(10));
        ssh.start();
        AtomicInteger calls = new AtomicInteger();
        Shell counted = counting(ssh.shell(target), calls);
        StatusKeys keys = StatusKeys.load(new Transactions(db), "bench");
        JobEngine engine =
                engine(db, keys, Map.of("hpc", BatchSystems.scheduler("slurm", counted, Duration.ofSeconds(60))));
        engine.start();

        // 1. status messages
        jdbc.update("INSERT INTO runs (name, raw_status, processed_status) VALUES ('bench', 'ondeck', 'processing')");
        jdbc.update(
                "INSERT INTO jobs (run_id, step, cluster, scheduler_job_name, state) SELECT r.id, 's' || i, 'hpc',"
                        + " 'bench.s' || i || '.1', 'queued' FROM runs r, generate_series(1, ?) i",
                messages);
        double batched = drain(messages, rabbit, keys, jdbc, () -> {
            JobStatusListener listener = new JobStatusListener(rabbit, engine, keys, 1000);
            listener.start();
            return listener::stop;
        });
        jdbc.update("UPDATE jobs SET state = 'queued'");
        double single = drain(messages, rabbit, keys, jdbc, () -> {
            SimpleMessageListenerContainer c = new SimpleMessageListenerContainer(rabbit);
            c.setQueueNames(AmqpTopology.JOB_STATUS_QUEUE);
            c.setAcknowledgeMode(AcknowledgeMode.AUTO); // acked after the UPDATE commits
            c.setPrefetchCount(250);
            c.setMessageListener((MessageListener) m -> {
                String body = new String(m.getBody(), StandardCharsets.UTF_8);
                String job = body.substring(body.indexOf("\"job\":\"") + 7, body.indexOf("\",\"event\""));
                jdbc.update(
                        "UPDATE jobs SET state = 'running', started_at = now() WHERE scheduler_job_name = ?"
                                + " AND state IN ('submitting', 'queued')",
                        job);
            });
            c.start();
            return c::stop;
        });
        System.out.printf("job-status: %d 'started' messages on RabbitMQ applied to PostgreSQL%n", messages);
        System.out.printf("batch listener (one transaction per batch):  %.0f msg/s%n", messages / batched);
        System.out.printf("one UPDATE per message (baseline):           %.0f msg/s%n", messages / single);
        System.out.printf(
                "ratio: batched is %.1fx the baseline (targets >= 5,000 msg/s and >= 5x)%n", single / batched);

        // 2. scheduler calls for active jobs
        jdbc.update("DELETE FROM jobs");
        StringBuilder submit =
                new StringBuilder("for i in $(seq 1 " + active + "); do sbatch --hold --parsable -J \"bench.hold$i.1\""
                        + " -o /dev/null -t 10 --wrap true; done | tr '\\n' ' '\n");
        CommandResult held =
                ssh.shell(target).run(List.of("sh", "-s"), submit.toString().getBytes(), Duration.ofMinutes(10), null);
        if (!held.succeeded()) {
            throw new IllegalStateException("sbatch --hold failed: " + held.summary());
        }
        try {
            jdbc.update(
                    "INSERT INTO jobs (run_id, step, cluster, scheduler_job_name, state) SELECT r.id, 'hold' || i, 'hpc',"
                            + " 'bench.hold' || i || '.1', 'queued' FROM runs r, generate_series(1, ?) i",
                    active);
            jdbc.update("UPDATE cluster_polls SET interval_ms = 2000, next_poll_at = now()");
            calls.set(0);
            long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            List<Long> intervals = new ArrayList<>();
            while (System.nanoTime() < end) {
                engine.poll(); // what the monitor-poll route does every 500 ms
                Long interval =
                        jdbc.queryForObject("SELECT interval_ms FROM cluster_polls WHERE cluster = 'hpc'", Long.class);
                if (intervals.isEmpty() || !intervals.get(intervals.size() - 1).equals(interval)) {
                    intervals.add(interval);
                }
                Thread.sleep(500);
            }
            Integer lost = jdbc.queryForObject("SELECT count(*) FROM jobs WHERE state <> 'queued'", Integer.class);
            System.out.printf(
                    "polling %d active (held) SLURM jobs for 60 s: %d scheduler call(s) (each one squeue + status files),"
                            + " intervals %s ms, jobs wrongly concluded: %d%n",
                    active, calls.get(), intervals, lost);
            System.out.printf(
                    "baseline (one squeue per job per 2 s poll): %d calls; ratio %.0fx fewer%n",
                    active * 30, active * 30.0 / Math.max(1, calls.get()));
        } finally {
            ssh.shell(target)
                    .run(
                            List.of(
                                    "sh",
                                    "-c",
                                    "squeue --me -h -o '%i %j' | awk '$2 ~ /^bench[.]hold/ {print $1}'"
                                            + " | xargs -r scancel"),
                            Duration.ofMinutes(2));
            engine.stop();
            ssh.stop();
            rabbit.destroy();
            db.close();
        }
    }

    /** Publishes one 'started' per job, then starts a consumer and times until every job is running. */
    private static double drain(
            int messages,
            CachingConnectionFactory rabbit,
            StatusKeys keys,
            JdbcTemplate jdbc,
            java.util.concurrent.Callable<Runnable> consumer)
            throws Exception {
        RabbitTemplate publisher = new RabbitTemplate(rabbit);
        for (int i = 1; i <= messages; i++) {
            String job = "bench.s" + i + ".1";
            byte[] body = ("{\"job\":\"" + job + "\",\"event\":\"started\",\"at\":"
                            + System.currentTimeMillis() / 1000.0 + ",\"key\":\"" + job + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            org.springframework.amqp.core.MessageProperties properties =
                    new org.springframework.amqp.core.MessageProperties();
            properties.setHeader(StatusKeys.MAC_HEADER, keys.mac(job, body));
            publisher.send(
                    "", AmqpTopology.JOB_STATUS_QUEUE, new org.springframework.amqp.core.Message(body, properties));
        }
        long start = System.nanoTime();
        Runnable stop = consumer.call();
        try {
            while (jdbc.queryForObject("SELECT count(*) FROM jobs WHERE state = 'running'", Integer.class) < messages) {
                Thread.sleep(20);
            }
            return (System.nanoTime() - start) / 1e9;
        } finally {
            stop.run();
        }
    }

    private static JobEngine engine(HikariDataSource db, StatusKeys keys, Map<String, BatchScheduler> schedulers)
            throws IOException {
        Path empty = Files.createTempDirectory("bench-home");
        Properties clusters = new Properties();
        clusters.setProperty("automatix.clusters.hpc.scheduler", "slurm");
        JobTemplates templates = new JobTemplates(empty.resolve("templates"));
        JobSettings settings = new JobSettings(
                false,
                "none",
                "hpc",
                false,
                1000,
                50,
                1,
                Duration.ofSeconds(60),
                Duration.ofSeconds(60),
                Duration.ofSeconds(30),
                Duration.ofSeconds(600),
                Duration.ofSeconds(10));
        return new JobEngine(
                new Transactions(db),
                "bench",
                settings,
                new Pipelines(empty.resolve("pipelines"), new PipelineParser(templates::exists)),
                templates,
                Clusters.from(clusters, empty, null),
                schedulers,
                Map.of(),
                keys,
                List.of(),
                SubmissionObserver.NONE);
    }

    private static Shell counting(Shell shell, AtomicInteger calls) {
        return new Shell() {
            @Override
            public CommandResult run(List<String> argv, byte[] stdin, Duration timeout, Consumer<String> lines)
                    throws IOException {
                calls.incrementAndGet();
                return shell.run(argv, stdin, timeout, lines);
            }

            @Override
            public String describe() {
                return shell.describe();
            }
        };
    }
}
