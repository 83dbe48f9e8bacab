package io.automatix.workflow;

import java.nio.file.Path;

import io.automatix.cluster.Clusters;
import io.automatix.db.Transactions;
import io.automatix.process.JobEngine;
import io.automatix.process.JobTemplates;
import software.amazon.awssdk.services.s3.S3Client;

/** Workflow sessions wired together: the commands users call and the driver that carries them out. */
public record Workflows(Sessions sessions, SessionDriver driver) {

    public static Workflows create(
            Transactions transactions,
            String router,
            WorkflowSettings settings,
            Clusters clusters,
            JobEngine jobs,
            JobTemplates templates,
            S3Client s3,
            Path staging) {
        SessionStore store = new SessionStore(transactions, router, settings.lease());
        WdfParser parser = new WdfParser(
                templates::exists,
                settings.tiers()::containsKey,
                settings.locations()::containsKey,
                settings.commands());
        Sessions sessions = new Sessions(store, parser, settings, clusters);
        SessionDriver driver = new SessionDriver(
                store,
                sessions,
                settings,
                clusters,
                jobs,
                new DirectoryServices(settings.timeout()),
                new DataMovers(clusters, s3, staging, settings.timeout()));
        return new Workflows(sessions, driver);
    }
}
