package io.automatix;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import com.zaxxer.hikari.HikariDataSource;
import io.automatix.amqp.AmqpSettings;
import io.automatix.amqp.AmqpTopology;
import io.automatix.amqp.BrokerHealthCheck;
import io.automatix.api.Api;
import io.automatix.api.ApiErrors;
import io.automatix.api.ApiUsers;
import io.automatix.archive.ArchiveSettings;
import io.automatix.archive.Archiver;
import io.automatix.cluster.Cluster;
import io.automatix.cluster.ClusterHealthCheck;
import io.automatix.cluster.Clusters;
import io.automatix.db.Database;
import io.automatix.db.DatabaseHealthCheck;
import io.automatix.db.DatabaseSettings;
import io.automatix.db.Transactions;
import io.automatix.embedded.EmbeddedBroker;
import io.automatix.embedded.EmbeddedDatabase;
import io.automatix.embedded.EmbeddedObjectStore;
import io.automatix.event.EventOutbox;
import io.automatix.objectstore.ObjectStoreClient;
import io.automatix.objectstore.ObjectStoreHealthCheck;
import io.automatix.objectstore.ObjectStoreSettings;
import io.automatix.process.JobEngine;
import io.automatix.process.JobSettings;
import io.automatix.process.JobStatusListener;
import io.automatix.process.JobTemplates;
import io.automatix.process.PartitionRules;
import io.automatix.process.PipelineParser;
import io.automatix.process.Pipelines;
import io.automatix.process.SubmissionObserver;
import io.automatix.run.RunControl;
import io.automatix.run.RunIngest;
import io.automatix.run.RunMetrics;
import io.automatix.run.RunRequestParser;
import io.automatix.run.RunStore;
import io.automatix.scheduler.BatchScheduler;
import io.automatix.scheduler.LocalScheduler;
import io.automatix.scheduler.SlurmScheduler;
import io.automatix.ssh.LocalShell;
import io.automatix.ssh.Shell;
import io.automatix.ssh.SshSessions;
import io.automatix.supervise.SupervisionSettings;
import io.automatix.supervise.Supervisor;
import io.automatix.transfer.Sources;
import io.automatix.transfer.TransferProgress;
import io.automatix.transfer.TransferSettings;
import io.automatix.transfer.Transfers;
import io.automatix.workflow.Tier;
import io.automatix.workflow.WorkflowSettings;
import io.automatix.workflow.Workflows;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.component.springrabbit.SpringRabbitMQComponent;
import org.apache.camel.component.sql.SqlComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Binds Automatix's services and beans. Each of database, broker and object store is external when
 * configured and embedded otherwise; the startup log says which, one line each.
 */
public class AutomatixConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(AutomatixConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = new Settings(context);
        Path data = Path.of(settings.get("automatix.data-dir")).toAbsolutePath();
        String router = settings.optional("automatix.router-id").orElseGet(AutomatixConfiguration::defaultRouterId);

        DatabaseSettings db = new DatabaseSettings(
                settings.optional("automatix.db.url").orElse(null),
                settings.get("automatix.db.user"),
                settings.optional("automatix.db.password").orElse(null),
                settings.getInt("automatix.db.pool-size"));
        AmqpSettings amqp = new AmqpSettings(
                settings.optional("automatix.amqp.host").orElse(null),
                settings.getInt("automatix.amqp.port"),
                settings.get("automatix.amqp.user"),
                settings.get("automatix.amqp.password"),
                settings.get("automatix.amqp.virtual-host"));
        ObjectStoreSettings s3 = new ObjectStoreSettings(
                settings.optional("automatix.s3.endpoint").orElse(null),
                settings.get("automatix.s3.region"),
                settings.optional("automatix.s3.access-key").orElse(null),
                settings.optional("automatix.s3.secret-key").orElse(null),
                settings.get("automatix.s3.bucket"),
                settings.getBoolean("automatix.s3.path-style"));

        // Embedded services start side by side: the slowest (PostgreSQL) sets the startup time.
        List<ServiceSupport> embedded = new ArrayList<>();
        EmbeddedDatabase embeddedDb = null;
        if (!db.external()) {
            embeddedDb = new EmbeddedDatabase(data.resolve("postgres"), settings.getInt("automatix.embedded.db-port"));
            embedded.add(embeddedDb);
            db = db.withUrl(embeddedDb.jdbcUrl());
        }
        EmbeddedBroker embeddedBroker = null;
        if (!amqp.external()) {
            int port = settings.getInt("automatix.embedded.amqp-port");
            embeddedBroker = new EmbeddedBroker(data.resolve("broker"), port, amqp.user(), amqp.password());
            embedded.add(embeddedBroker);
            amqp = amqp.onLoopback(port);
        }
        EmbeddedObjectStore embeddedS3 = null;
        if (!s3.external()) {
            embeddedS3 = new EmbeddedObjectStore(
                    data.resolve("s3"), settings.getInt("automatix.embedded.s3-port"), s3.accessKey(), s3.secretKey());
            embedded.add(embeddedS3);
            s3 = s3.withEndpoint(embeddedS3.endpoint());
        }
        CompletableFuture.allOf(embedded.stream()
                        .map(service -> CompletableFuture.runAsync(service::start))
                        .toArray(CompletableFuture[]::new))
                .join();
        for (ServiceSupport service : embedded) {
            context.addService(service, true, false);
        }
        LOG.info("Database: {}", embeddedDb != null ? embeddedDb.describe() : "external " + db.safeUrl());
        LOG.info(
                "Broker: {}",
                embeddedBroker != null
                        ? embeddedBroker.describe()
                        : "external AMQP broker at " + amqp.host() + ":" + amqp.port());
        LOG.info("Object store: {}", embeddedS3 != null ? embeddedS3.describe() : "external S3 at " + s3.endpoint());
        try {
            wire(context, settings, router, data, db, amqp, s3);
        } catch (Exception e) {
            // the context never started, so it will not stop what we started
            embedded.forEach(ServiceSupport::stop);
            throw e;
        }
    }

    private void wire(
            CamelContext context,
            Settings settings,
            String router,
            Path data,
            DatabaseSettings db,
            AmqpSettings amqp,
            ObjectStoreSettings s3)
            throws Exception {
        Registry registry = context.getRegistry();

        HikariDataSource dataSource = Database.open(db);
        context.addService(new ClosingService(dataSource), true, false);
        Database.migrate(dataSource);
        registry.bind("dataSource", dataSource);
        context.getComponent("sql", SqlComponent.class).setDataSource(dataSource);
        context.getComponent("quartz", QuartzComponent.class).setProperties(quartzProperties(settings, db));

        CachingConnectionFactory rabbit = AmqpTopology.connectionFactory(amqp);
        AmqpTopology.declareOnConnect(rabbit);
        try {
            rabbit.createConnection();
        } catch (AmqpException e) {
            LOG.warn("Broker not reachable yet ({}); its queues are declared once it is", e.getMessage());
        }
        context.addService(new ClosingService(rabbit::destroy), true, false);
        registry.bind("rabbitConnectionFactory", rabbit);
        context.getComponent("spring-rabbitmq", SpringRabbitMQComponent.class).setConnectionFactory(rabbit);

        S3Client s3Client = ObjectStoreClient.create(s3);
        context.addService(new ClosingService(s3Client), true, false);
        ObjectStoreClient.ensureBucket(s3Client, s3.bucket());
        registry.bind("amazonS3Client", s3Client);

        SshSessions ssh = new SshSessions(Duration.ofSeconds(settings.getInt("automatix.ssh.connect-timeout-seconds")));
        context.addService(ssh, true, true);
        registry.bind("sshSessions", ssh);
        Clusters clusters = Clusters.from(settings.withPrefix("automatix.clusters."), data);
        registry.bind("clusters", clusters);
        for (Cluster cluster : clusters.all()) {
            LOG.info(
                    "Cluster {}: scheduler {}, {}",
                    cluster.name(),
                    cluster.scheduler(),
                    cluster.remote() ? "over SSH to " + cluster.ssh() : "on this host");
            registry.bind("health-cluster-" + cluster.name(), new ClusterHealthCheck(cluster, ssh));
        }

        Transactions transactions = new Transactions(dataSource);
        RunStore runs = new RunStore(transactions);
        registry.bind("apiErrors", new ApiErrors());
        RunIngest runIngest = new RunIngest(new RunRequestParser(clusters::contains), runs);
        registry.bind("runIngest", runIngest);
        registry.bind("runMetrics", new RunMetrics(runs, () -> registry.findSingleByType(MeterRegistry.class)));
        registry.bind(
                "eventOutbox",
                new EventOutbox(
                        transactions.jdbc(),
                        router,
                        settings.getInt("automatix.events.batch-size"),
                        settings.getInt("automatix.events.lease-seconds")));

        TransferSettings transfer = transferSettings(settings);
        Sources sources = Sources.from(
                settings.withPrefix("automatix.sources."),
                settings.optional("automatix.transfer.live-check").orElse(null));
        TransferProgress progress = new TransferProgress(() -> registry.findSingleByType(MeterRegistry.class));
        Transfers transfers = Transfers.create(
                transactions, router, transfer, sources, clusters, ssh, progress, data.resolve("staging"));
        registry.bind("transfers", transfers);
        registry.bind(
                "transferPool",
                context.getExecutorServiceManager().newFixedThreadPool(this, "transfer", transfer.concurrency()));

        Map<String, Integer> levels = new HashMap<>();
        for (Cluster cluster : clusters.all()) {
            levels.put(
                    cluster.name(),
                    cluster.supervisionLevel() != null
                            ? cluster.supervisionLevel()
                            : settings.getInt("automatix.supervise.level"));
        }
        JobTemplates templates =
                new JobTemplates(Path.of(settings.get("automatix.home-dir")).resolve("templates"));
        JobEngine jobs = jobEngine(
                context,
                settings,
                transactions,
                router,
                clusters,
                ssh,
                amqp,
                templates,
                levels.entrySet().stream()
                        .filter(e -> e.getValue() == 2)
                        .map(Map.Entry::getKey)
                        .toList());
        registry.bind("jobEngine", jobs);
        registry.bind(
                "supervisor",
                new Supervisor(
                        transactions, router, superviseSettings(settings), templates, clusters, levels, ssh, jobs));
        context.addService(
                new JobStatusListener(rabbit, jobs, settings.getInt("automatix.process.status-batch-size")),
                true,
                true);

        Archiver archiver = new Archiver(
                transactions,
                router,
                archiveSettings(settings, s3.bucket()),
                clusters,
                ssh,
                s3Client,
                data.resolve("archive"));
        registry.bind("archiver", archiver);

        Workflows workflows = Workflows.create(
                transactions,
                router,
                workflowSettings(settings, clusters, data),
                clusters,
                ssh,
                jobs,
                templates,
                s3Client,
                data.resolve("staging"));
        context.addService(workflows.driver(), true, true);
        registry.bind("sessionDriver", workflows.driver());
        ApiUsers apiUsers =
                new ApiUsers(settings.optional("automatix.api.users").orElse(null), data);
        registry.bind("apiUsers", apiUsers);
        registry.bind(
                "api",
                new Api(
                        apiUsers,
                        workflows.sessions(),
                        runIngest,
                        new RunControl(transactions, jobs, clusters),
                        transfers,
                        jobs,
                        archiver,
                        transactions));

        registry.bind("health-routes-started", new RoutesStartedHealthCheck());
        registry.bind("health-database", new DatabaseHealthCheck(dataSource));
        registry.bind("health-broker", new BrokerHealthCheck(rabbit));
        registry.bind("health-object-store", new ObjectStoreHealthCheck(s3Client, s3.bucket()));
        LOG.info("Router {} configured; routes from {}/routes", router, settings.get("automatix.home-dir"));
    }

    /**
     * The job engine: pipelines and templates from the home directory, one batch scheduler per
     * cluster (SLURM over the cluster's SSH connection, or local processes). Jobs on this host push
     * their status to this router's broker; remote clusters push only where push-url says how.
     */
    private static JobEngine jobEngine(
            CamelContext context,
            Settings settings,
            Transactions transactions,
            String router,
            Clusters clusters,
            SshSessions ssh,
            AmqpSettings amqp,
            JobTemplates templates,
            List<String> heldClusters)
            throws Exception {
        Path home = Path.of(settings.get("automatix.home-dir"));
        Pipelines pipelines = new Pipelines(home.resolve("pipelines"), new PipelineParser(templates::exists));
        JobSettings job = new JobSettings(
                settings.getBoolean("automatix.process.enabled"),
                settings.get("automatix.process.default-pipeline"),
                settings.get("automatix.transfer.default-cluster"),
                settings.getBoolean("automatix.process.push"),
                settings.getInt("automatix.process.submit-batch"),
                settings.getInt("automatix.process.submit-passes"),
                Duration.ofSeconds(settings.getInt("automatix.process.submit-lease-seconds")),
                Duration.ofSeconds(settings.getInt("automatix.process.submit-timeout-seconds")),
                Duration.ofSeconds(settings.getInt("automatix.process.backoff-seconds")),
                Duration.ofSeconds(settings.getInt("automatix.process.retry-delay-seconds")),
                Duration.ofMillis(settings.getInt("automatix.process.poll-min-ms")),
                Duration.ofMillis(settings.getInt("automatix.process.poll-max-ms")));
        Map<String, BatchScheduler> schedulers = new HashMap<>();
        Map<String, String> pushUrls = new HashMap<>();
        for (Cluster cluster : clusters.all()) {
            Shell shell = cluster.remote() ? ssh.shell(cluster.ssh()) : new LocalShell();
            schedulers.put(
                    cluster.name(),
                    cluster.scheduler().equals("slurm")
                            ? new SlurmScheduler(shell, job.timeout())
                            : new LocalScheduler(shell, job.timeout()));
            String push = cluster.pushUrl() != null ? cluster.pushUrl() : cluster.remote() ? null : amqp.url();
            if (push != null) {
                pushUrls.put(cluster.name(), push);
            }
        }
        PartitionRules partitions = PartitionRules.parse(
                "automatix.process.partition-rules",
                settings.optional("automatix.process.partition-rules").orElse(""));
        JobEngine engine = new JobEngine(
                transactions,
                router,
                job,
                pipelines,
                templates,
                partitions,
                clusters,
                schedulers,
                pushUrls,
                heldClusters,
                submissionObserver(context));
        context.addService(engine, true, true);
        return engine;
    }

    /** A test's hook on submissions (bound as camel.beans.*), or none. */
    private static SubmissionObserver submissionObserver(CamelContext context) {
        SubmissionObserver observer = context.getRegistry().findSingleByType(SubmissionObserver.class);
        return observer != null ? observer : SubmissionObserver.NONE;
    }

    /**
     * Tiers and locations are families of settings: automatix.workflow.tiers.<name>, ...locations.<name>.
     * A relative tier directory is under the data directory (for the local cluster).
     */
    private static WorkflowSettings workflowSettings(Settings settings, Clusters clusters, Path data) {
        Map<String, Tier> tiers = new HashMap<>();
        settings.withPrefix("automatix.workflow.tiers.").forEach((k, v) -> {
            String name = k.toString().substring("automatix.workflow.tiers.".length());
            String value = v.toString().strip();
            if (!value.startsWith("/") && !value.startsWith("s3://")) {
                value = data.resolve(value).toString(); // a directory of the local cluster, under the data directory
            }
            tiers.put(name, Tier.parse(name, value));
        });
        Map<String, String> locations = new HashMap<>();
        settings.withPrefix("automatix.workflow.locations.")
                .forEach((k, v) -> locations.put(
                        k.toString().substring("automatix.workflow.locations.".length()),
                        v.toString().strip()));
        String cluster = settings.optional("automatix.workflow.default-cluster")
                .orElse(settings.get("automatix.transfer.default-cluster"));
        return new WorkflowSettings(
                settings.getBoolean("automatix.workflow.enabled"),
                cluster,
                Path.of(settings.get("automatix.home-dir")).resolve("workflows"),
                Map.copyOf(tiers),
                Map.copyOf(locations),
                Set.of(settings.get("automatix.workflow.service-types").split("\\s*,\\s*")),
                Set.of(settings.get("automatix.workflow.flavors").split("\\s*,\\s*")),
                Set.of(settings.get("automatix.workflow.commands").split("\\s*,\\s*")),
                settings.optional("automatix.workflow.interactive-partition").orElse(""),
                settings.getInt("automatix.workflow.concurrency"),
                Duration.ofSeconds(settings.getInt("automatix.workflow.lease-seconds")),
                Duration.ofSeconds(settings.getInt("automatix.workflow.timeout-seconds")),
                Duration.ofMillis(settings.getInt("automatix.workflow.watch-ms")));
    }

    private static ArchiveSettings archiveSettings(Settings settings, String bucket) {
        String codec = settings.get("automatix.archive.codec");
        if (!codec.equals("zstd") && !codec.equals("gzip")) {
            throw new IllegalArgumentException(
                    "bad setting 'automatix.archive.codec': '" + codec + "' is not zstd or gzip");
        }
        String verify = settings.get("automatix.archive.verify");
        if (!verify.equals("read-back") && !verify.equals("etag")) {
            throw new IllegalArgumentException(
                    "bad setting 'automatix.archive.verify': '" + verify + "' is not read-back or etag");
        }
        return new ArchiveSettings(
                settings.getBoolean("automatix.archive.enabled"),
                codec,
                settings.getInt("automatix.archive.level"),
                settings.getInt("automatix.archive.bundle-runs"),
                Long.parseLong(settings.get("automatix.archive.bundle-bytes")),
                Duration.ofSeconds(settings.getInt("automatix.archive.bundle-age-seconds")),
                Long.parseLong(settings.get("automatix.archive.part-size-bytes")),
                verify,
                bucket,
                settings.get("automatix.archive.key-prefix"),
                settings.getBoolean("automatix.archive.remove-scratch"),
                Duration.ofSeconds(settings.getInt("automatix.archive.lease-seconds")),
                Duration.ofSeconds(settings.getInt("automatix.archive.timeout-seconds")),
                settings.getInt("automatix.faults.corrupt-uploads"));
    }

    private static SupervisionSettings superviseSettings(Settings settings) {
        return new SupervisionSettings(
                Duration.ofSeconds(settings.getInt("automatix.supervise.late-grace-seconds")),
                Duration.ofSeconds(settings.getInt("automatix.supervise.queued-limit-seconds")),
                settings.getInt("automatix.supervise.max-per-job"),
                settings.getInt("automatix.supervise.max-per-run"),
                Duration.ofHours(settings.getInt("automatix.supervise.period-hours")),
                settings.getInt("automatix.supervise.dispatch-attempts"),
                Duration.ofSeconds(settings.getInt("automatix.supervise.dispatch-backoff-seconds")),
                Duration.ofSeconds(settings.getInt("automatix.supervise.dispatch-timeout-seconds")),
                Duration.ofSeconds(settings.getInt("automatix.supervise.dispatch-lease-seconds")));
    }

    private static TransferSettings transferSettings(Settings settings) {
        return new TransferSettings(
                settings.get("automatix.transfer.mode"),
                settings.get("automatix.transfer.verify"),
                settings.getInt("automatix.transfer.concurrency"),
                settings.getInt("automatix.transfer.max-attempts"),
                Duration.ofSeconds(settings.getInt("automatix.transfer.backoff-seconds")),
                Duration.ofSeconds(settings.getInt("automatix.transfer.live-recheck-seconds")),
                Duration.ofSeconds(settings.getInt("automatix.transfer.lease-seconds")),
                Duration.ofSeconds(settings.getInt("automatix.transfer.timeout-seconds")),
                settings.getBoolean("automatix.transfer.remove-source"),
                settings.getBoolean("automatix.transfer.dry-run"),
                settings.get("automatix.transfer.default-cluster"),
                settings.optional("automatix.transfer.rsync-options")
                        .map(o -> List.of(o.split("\\s+")))
                        .orElse(List.of()));
    }

    /**
     * Quartz keeps its triggers in the runs database (JDBC job store, clustered), so several
     * routers fire each schedule once. Missed fires are not caught up in a burst.
     */
    private static Map<String, Object> quartzProperties(Settings settings, DatabaseSettings db) {
        Map<String, Object> p = new HashMap<>();
        p.put("org.quartz.scheduler.instanceName", "AutomatixScheduler");
        p.put("org.quartz.scheduler.instanceId", "AUTO");
        p.put("org.quartz.scheduler.idleWaitTime", "1000");
        p.put("org.quartz.threadPool.threadCount", settings.get("automatix.quartz.threads"));
        p.put("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.put("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        p.put("org.quartz.jobStore.isClustered", "true");
        p.put("org.quartz.jobStore.clusterCheckinInterval", "5000");
        p.put("org.quartz.jobStore.misfireThreshold", "2000");
        p.put("org.quartz.jobStore.dataSource", "automatix");
        p.put("org.quartz.dataSource.automatix.provider", "hikaricp");
        p.put("org.quartz.dataSource.automatix.driver", "org.postgresql.Driver");
        p.put("org.quartz.dataSource.automatix.URL", db.url());
        p.put("org.quartz.dataSource.automatix.user", db.user());
        if (db.password() != null) {
            p.put("org.quartz.dataSource.automatix.password", db.password());
        }
        p.put("org.quartz.dataSource.automatix.maxConnections", "3");
        return p;
    }

    private static String defaultRouterId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "localhost";
        }
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
    }
}
