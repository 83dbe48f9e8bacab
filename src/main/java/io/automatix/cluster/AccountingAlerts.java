package io.automatix.cluster;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.automatix.scheduler.AccountingOutage;
import io.automatix.scheduler.BatchScheduler;
import io.automatix.supervise.Outgoing;

/**
 * One alert on {@code automatix.alerts} per outage of a cluster's accounting (slurmdbd down), as
 * this router's polls found it (routes/supervise.camel.yaml, route {@code accounting-alerts}):
 * nothing fails meanwhile, but jobs that only the accounting can explain wait, which a person
 * should know of.
 */
public final class AccountingAlerts {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, BatchScheduler> schedulers;
    /** The outages already told, by cluster: since when each began. */
    private final Map<String, Instant> told = new ConcurrentHashMap<>();

    public AccountingAlerts(Map<String, BatchScheduler> schedulers) {
        this.schedulers = new TreeMap<>(schedulers);
    }

    /** An alert for each outage not told yet; an outage that ended is forgotten, so the next one is told. */
    public List<Outgoing> watch() {
        List<Outgoing> alerts = new ArrayList<>();
        schedulers.forEach((cluster, scheduler) -> {
            Optional<AccountingOutage> outage = scheduler.accountingOutage();
            if (outage.isEmpty()) {
                told.remove(cluster);
            } else if (!outage.get()
                    .since()
                    .equals(told.put(cluster, outage.get().since()))) {
                alerts.add(alert(cluster, outage.get()));
            }
        });
        return alerts;
    }

    private static Outgoing alert(String cluster, AccountingOutage outage) {
        Map<String, Object> alert = new LinkedHashMap<>();
        alert.put("type", "accounting-outage");
        alert.put("cluster", cluster);
        alert.put("since", outage.since().toString());
        alert.put("reason", "the accounting of " + cluster + " does not answer: " + outage.error());
        alert.put(
                "fix",
                "start slurmdbd (it answers when `sacctmgr -n list cluster` does); meanwhile the jobs that only"
                        + " the accounting can explain wait, and nothing else is held up");
        try {
            return new Outgoing(Outgoing.ALERTS, JSON.writeValueAsString(alert));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
