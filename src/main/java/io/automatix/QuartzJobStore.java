package io.automatix;

import java.util.HashMap;
import java.util.Map;

import io.automatix.db.DatabaseSettings;

/**
 * Quartz keeps its triggers in the runs database (JDBC job store, clustered), so several
 * routers fire each schedule once. Missed fires are not caught up in a burst.
 */
final class QuartzJobStore {

    private QuartzJobStore() {}

    static Map<String, Object> properties(DatabaseSettings db, int threads) {
        Map<String, Object> p = new HashMap<>();
        p.put("org.quartz.scheduler.instanceName", "AutomatixScheduler");
        p.put("org.quartz.scheduler.instanceId", "AUTO");
        p.put("org.quartz.scheduler.idleWaitTime", "1000");
        p.put("org.quartz.threadPool.threadCount", String.valueOf(threads));
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
}
