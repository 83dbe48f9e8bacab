package io.automatix;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.zaxxer.hikari.HikariDataSource;
import io.automatix.amqp.AmqpSettings;
import io.automatix.amqp.AmqpTopology;
import io.automatix.amqp.BrokerHealthCheck;
import io.automatix.api.Api;
import io.automatix.api.ApiErrors;
import io.automatix.api.ApiHttp;
import io.automatix.api.ApiUsers;
import io.automatix.api.ClustersApi;
import io.automatix.api.PemKeyStore;
import io.automatix.api.SessionsApi;
import io.automatix.api.TokensApi;
import io.automatix.archive.ArchiveSettings;
import io.automatix.archive.Archiver;
import io.automatix.archive.BundleObserver;
import io.automatix.cluster.AccountingAlerts;
import io.automatix.cluster.Cluster;
import io.automatix.cluster.ClusterDoctor;
import io.automatix.cluster.ClusterHealthCheck;
import io.automatix.cluster.ClusterLogins;
import io.automatix.cluster.ClusterOutages;
import io.automatix.cluster.Clusters;
import io.automatix.config.Settings;
import io.automatix.db.Database;
import io.automatix.db.DatabaseHealthCheck;
import io.automatix.db.DatabaseSettings;
import io.automatix.db.Transactions;
import io.automatix.event.EventOutbox;
import io.automatix.event.EventRetention;
import io.automatix.event.EventSettings;
import io.automatix.objectstore.ObjectStoreClient;
import io.automatix.objectstore.ObjectStoreHealthCheck;
import io.automatix.objectstore.ObjectStoreSettings;
import io.automatix.oidc.Oidc;
import io.automatix.process.JobEngine;
import io.automatix.process.JobSettings;
import io.automatix.process.JobStatusListener;
import io.automatix.process.JobTemplates;
import io.automatix.process.PipelineParser;
import io.automatix.process.Pipelines;
import io.automatix.process.StatusKeys;
import io.automatix.process.SubmissionObserver;
import io.automatix.run.Roots;
import io.automatix.run.RunControl;
import io.automatix.run.RunIngest;
import io.automatix.run.RunMetrics;
import io.automatix.run.RunRequestParser;
import io.automatix.run.RunStore;
import io.automatix.scheduler.BatchScheduler;
import io.automatix.scheduler.BatchSystems;
import io.automatix.ssh.Transports;
import io.automatix.supervise.SupervisionSettings;
import io.automatix.supervise.Supervisor;
import io.automatix.transfer.Sources;
import io.automatix.transfer.TransferProgress;
import io.automatix.transfer.TransferSettings;
import io.automatix.transfer.Transfers;
import io.automatix.user.Tokens;
import io.automatix.workflow.WorkflowSettings;
import io.automatix.workflow.Workflows;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.component.springrabbit.SpringRabbitMQComponent;
import org.apache.camel.component.sql.SqlComponent;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Binds Automatix's services and beans. Each settings record reads its own keys ({@code from});
 * this class only connects what they describe.
 */
public class AutomatixConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(AutomatixConfiguration.class);

    private CamelContext context;
    private Registry registry;
    private Settings settings;
    private RouterSettings router;

    @Override
    public void configure(CamelContext context) throws Exception {
        this.context = context;
        this.registry = context.getRegistry();
        this.settings = new Settings(context);
        ServiceUser.refuseRoot(settings);
        this.router = RouterSettings.from(settings);
        tls();
        Backends backends = Backends.start(settings, router.data());
        backends.stopWith(context);
        try {
            bind(backends);
        } catch (Exception e) {
            backends.stop(); // the context never started, so it will not stop them
            throw e;
        }
        LOG.info("Router {} configured; routes from {}/routes", router.id(), router.home());
    }

    private void bind(Backends backends) throws Exception {
        HikariDataSource dataSource = database(backends.db());
        CachingConnectionFactory rabbit = broker(backends.amqp());
        S3Client s3 = objectStore(backends.s3());
        Transports transports = transports();
        Clusters clusters = clusters(transports);
        ClusterLogins logins = new ClusterLogins(clusters, transports);
        registry.bind("clusterLogins", logins);
        Transactions transactions = new Transactions(dataSource);
        Sources sources = Sources.from(settings, router.data(), router.home());
        RunIngest runIngest = runs(transactions, clusters, sources);
        Transfers transfers = transfers(transactions, clusters, transports, sources);
        JobTemplates templates = new JobTemplates(router.home().resolve("templates"));
        templates.validate(); // a template that does not parse, or reaches for Java, stops the start with its line
        SupervisionSettings supervision = SupervisionSettings.from(settings);
        JobSettings job = JobSettings.from(settings);
        Map<String, BatchScheduler> schedulers = schedulers(clusters, job);
        clusterHealth(clusters, schedulers);
        Map<String, String> pushUrls = pushUrls(clusters, backends.amqp());
        JobEngine jobs = jobEngine(transactions, clusters, job, schedulers, pushUrls, rabbit, templates, supervision);
        supervisor(transactions, clusters, templates, supervision, jobs);
        Archiver archiver = archiver(transactions, clusters, s3);
        Workflows workflows = workflows(transactions, clusters, jobs, templates, s3);
        api(transactions, clusters, runIngest, transfers, jobs, archiver, workflows);
        registry.bind(
                "clustersApi",
                new ClustersApi(
                        clusters,
                        new ClusterDoctor(
                                clusters,
                                schedulers,
                                pushUrls,
                                settings.seconds("automatix.doctor.job-timeout-seconds")),
                        logins));
        registry.bind("health-routes-started", new RoutesStartedHealthCheck());
        registry.bind("health-database", new DatabaseHealthCheck(dataSource));
        registry.bind("health-broker", new BrokerHealthCheck(rabbit));
        registry.bind(
                "health-object-store",
                new ObjectStoreHealthCheck(s3, backends.s3().bucket()));
    }

    /**
     * HTTPS for the API (and /observe, on the same server) from a PEM certificate and key: the
     * servers take the context's SSL parameters (camel.server.use-global-ssl-context-parameters).
     */
    private void tls() {
        Optional<String> certificate = settings.optional("automatix.api.tls-cert");
        Optional<String> key = settings.optional("automatix.api.tls-key");
        if (certificate.isPresent() != key.isPresent()) {
            throw new IllegalStateException("HTTPS needs both automatix.api.tls-cert and automatix.api.tls-key (PEM"
                    + " files); only " + (certificate.isPresent() ? "the certificate" : "the key") + " is set");
        }
        if (certificate.isPresent()) {
            context.setSSLContextParameters(
                    PemKeyStore.serverParameters(Path.of(certificate.get()), Path.of(key.get())));
            LOG.info("API over HTTPS with the certificate {}", certificate.get());
        }
    }

    /** The runs database, migrated; also the sql component's and quartz's job store. */
    private HikariDataSource database(DatabaseSettings db) throws Exception {
        HikariDataSource dataSource = Database.open(db);
        closeWithContext(dataSource);
        Database.migrate(dataSource);
        registry.bind("dataSource", dataSource);
        context.getComponent("sql", SqlComponent.class).setDataSource(dataSource);
        context.getComponent("quartz", QuartzComponent.class)
                .setProperties(QuartzJobStore.properties(db, router.quartzThreads()));
        return dataSource;
    }

    /** The broker connection; the queues are declared on every (re)connect, so a late broker is fine. */
    private CachingConnectionFactory broker(AmqpSettings amqp) throws Exception {
        CachingConnectionFactory rabbit = AmqpTopology.connectionFactory(amqp);
        AmqpTopology.declareOnConnect(rabbit);
        try {
            rabbit.createConnection();
        } catch (AmqpException e) {
            LOG.warn("Broker not reachable yet ({}); its queues are declared once it is", e.getMessage());
        }
        closeWithContext(rabbit::destroy);
        registry.bind("rabbitConnectionFactory", rabbit);
        context.getComponent("spring-rabbitmq", SpringRabbitMQComponent.class).setConnectionFactory(rabbit);
        return rabbit;
    }

    private S3Client objectStore(ObjectStoreSettings s3) throws Exception {
        S3Client client = ObjectStoreClient.create(s3);
        closeWithContext(client);
        ObjectStoreClient.ensureBucket(client, s3.bucket());
        registry.bind("amazonS3Client", client);
        return client;
    }

    /** One SSH connection per host, shared by every command to it. */
    private Transports transports() throws Exception {
        Transports transports = new Transports(router.sshConnectTimeout(), router.data(), Clock.systemUTC());
        context.addService(transports, true, true);
        registry.bind("transports", transports);
        return transports;
    }

    /** The clusters, each reached over its SSH transport (or on this host). */
    private Clusters clusters(Transports transports) {
        Clusters clusters = Clusters.from(settings, router.data(), transports);
        registry.bind("clusters", clusters);
        for (Cluster cluster : clusters.all()) {
            LOG.info(
                    "Cluster {}: scheduler {}, {}",
                    cluster.name(),
                    cluster.scheduler(),
                    cluster.remote()
                            ? "over SSH (" + cluster.ssh().transport() + ") to " + cluster.ssh()
                            : "on this host");
        }
        return clusters;
    }

    /** A health check per cluster (its login, and its scheduler's accounting); one alert per accounting outage. */
    private void clusterHealth(Clusters clusters, Map<String, BatchScheduler> schedulers) {
        ClusterOutages outages =
                new ClusterOutages(clusters.all().stream().map(Cluster::name).toList());
        for (Cluster cluster : clusters.all()) {
            registry.bind(
                    "health-cluster-" + cluster.name(),
                    new ClusterHealthCheck(cluster, clusters, outages, schedulers.get(cluster.name())));
        }
        registry.bind("accountingAlerts", new AccountingAlerts(schedulers));
    }

    /** Ingest, the run-count gauges and the event outbox. */
    private RunIngest runs(Transactions transactions, Clusters clusters, Sources sources) {
        RunStore runs = new RunStore(transactions);
        RunIngest runIngest = new RunIngest(new RunRequestParser(clusters::contains), runs, sources);
        registry.bind("runIngest", runIngest);
        registry.bind("runMetrics", new RunMetrics(runs, () -> registry.findSingleByType(MeterRegistry.class)));
        EventSettings events = EventSettings.from(settings);
        registry.bind("eventOutbox", new EventOutbox(transactions.jdbc(), router.id(), events));
        registry.bind("eventRetention", new EventRetention(transactions.jdbc(), events));
        return runIngest;
    }

    private Transfers transfers(Transactions transactions, Clusters clusters, Transports transports, Sources sources) {
        TransferSettings transfer = TransferSettings.from(settings);
        TransferProgress progress = new TransferProgress(() -> registry.findSingleByType(MeterRegistry.class));
        Transfers transfers = Transfers.create(
                transactions,
                router.id(),
                transfer,
                sources,
                clusters,
                transports,
                progress,
                router.data().resolve("staging"));
        registry.bind("transfers", transfers);
        registry.bind(
                "transferPool",
                context.getExecutorServiceManager().newFixedThreadPool(this, "transfer", transfer.concurrency()));
        return transfers;
    }

    /**
     * The job engine: pipelines and templates from the home directory, one batch scheduler per
     * cluster (SLURM over the cluster's SSH connection, or local processes), and the listener of the
     * status jobs push.
     */
    private JobEngine jobEngine(
            Transactions transactions,
            Clusters clusters,
            JobSettings job,
            Map<String, BatchScheduler> schedulers,
            Map<String, String> pushUrls,
            CachingConnectionFactory rabbit,
            JobTemplates templates,
            SupervisionSettings supervision)
            throws Exception {
        StatusKeys keys = StatusKeys.load(transactions, router.id());
        JobEngine engine = new JobEngine(
                transactions,
                router.id(),
                job,
                new Pipelines(router.home().resolve("pipelines"), new PipelineParser(templates::exists)),
                templates,
                clusters,
                schedulers,
                pushUrls,
                keys,
                supervision.automatic(clusters),
                Optional.ofNullable(registry.findSingleByType(SubmissionObserver.class))
                        .orElse(SubmissionObserver.NONE));
        context.addService(engine, true, true);
        registry.bind("jobEngine", engine);
        context.addService(new JobStatusListener(rabbit, engine, keys, job.statusBatchSize()), true, true);
        return engine;
    }

    /** One batch scheduler per cluster (SLURM over the cluster's transport, or local processes). */
    private static Map<String, BatchScheduler> schedulers(Clusters clusters, JobSettings job) {
        Map<String, BatchScheduler> schedulers = new HashMap<>();
        for (Cluster cluster : clusters.all()) {
            schedulers.put(
                    cluster.name(),
                    BatchSystems.scheduler(
                            cluster.scheduler(), clusters.shell(cluster), job.timeout(), cluster.site()));
        }
        return schedulers;
    }

    /** Where each cluster's jobs push their status: its push-url, or this router's broker for jobs on this host. */
    private static Map<String, String> pushUrls(Clusters clusters, AmqpSettings amqp) {
        Map<String, String> pushUrls = new HashMap<>();
        for (Cluster cluster : clusters.all()) {
            String push = cluster.pushUrl() != null ? cluster.pushUrl() : cluster.remote() ? null : amqp.url();
            if (push != null) {
                pushUrls.put(cluster.name(), push);
            }
        }
        return pushUrls;
    }

    private void supervisor(
            Transactions transactions,
            Clusters clusters,
            JobTemplates templates,
            SupervisionSettings supervision,
            JobEngine jobs) {
        registry.bind(
                "supervisor",
                new Supervisor(
                        transactions,
                        router.id(),
                        supervision,
                        templates,
                        clusters,
                        supervision.levels(clusters),
                        jobs));
    }

    /** The archiver; a {@link BundleObserver} in the registry (tests bind one) sees each bundle before upload. */
    private Archiver archiver(Transactions transactions, Clusters clusters, S3Client s3) {
        Archiver archiver = new Archiver(
                transactions,
                router.id(),
                ArchiveSettings.from(settings),
                clusters,
                s3,
                router.data().resolve("archive"),
                Optional.ofNullable(registry.findSingleByType(BundleObserver.class))
                        .orElse(BundleObserver.NONE),
                restoreRoots());
        registry.bind("archiver", archiver);
        return archiver;
    }

    /** {@code automatix.archive.restore-roots}: relative ones under the data directory, never the router's own files. */
    private Roots restoreRoots() {
        Map<Path, String> own = new LinkedHashMap<>();
        own.put(router.data(), "data directory");
        own.putIfAbsent(router.home(), "home directory");
        return Roots.parse(
                "automatix.archive.restore-roots",
                settings.optional("automatix.archive.restore-roots").orElse("restore"),
                router.data(),
                own,
                "the restore roots",
                "restore under one of them");
    }

    private Workflows workflows(
            Transactions transactions, Clusters clusters, JobEngine jobs, JobTemplates templates, S3Client s3)
            throws Exception {
        Workflows workflows = Workflows.create(
                transactions,
                router.id(),
                WorkflowSettings.from(settings, router.data()),
                clusters,
                jobs,
                templates,
                s3,
                router.data().resolve("staging"));
        context.addService(workflows.driver(), true, true);
        registry.bind("sessionDriver", workflows.driver());
        return workflows;
    }

    /** The REST API's users (a token is made on first start when none are configured) and its actions. */
    private void api(
            Transactions transactions,
            Clusters clusters,
            RunIngest runIngest,
            Transfers transfers,
            JobEngine jobs,
            Archiver archiver,
            Workflows workflows)
            throws IOException {
        Tokens tokens = new Tokens(transactions);
        ApiUsers apiUsers =
                new ApiUsers(settings.optional("automatix.api.users").orElse(null), router.data(), tokens);
        registry.bind("apiUsers", apiUsers);
        registry.bind("apiErrors", new ApiErrors());
        RunControl runControl = new RunControl(transactions, jobs, clusters);
        Oidc oidc = Oidc.from(settings);
        registry.bind("oidcWeb", oidc.web());
        registry.bind("apiHttp", new ApiHttp(apiUsers, oidc.admission()));
        Api.Parts api = Api.parts(
                runIngest,
                runControl,
                transfers,
                jobs,
                archiver,
                transactions,
                settings.optional("automatix.runs.default-owner").orElse("acquisition"),
                settings.optional("automatix.runs.default-group").orElse(null));
        registry.bind("api", api.api());
        registry.bind("runsApi", api.runs());
        registry.bind("tokensApi", new TokensApi(tokens));
        registry.bind("sessionsApi", new SessionsApi(workflows.sessions()));
    }

    /** The context closes it when it stops, in reverse order of registration. */
    private void closeWithContext(AutoCloseable resource) throws Exception {
        context.addService(new ClosingService(resource), true, false);
    }
}
