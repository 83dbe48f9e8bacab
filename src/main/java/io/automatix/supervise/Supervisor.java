package io.automatix.supervise;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.automatix.cluster.Cluster;
import io.automatix.cluster.Clusters;
import io.automatix.db.Transactions;
import io.automatix.process.JobEngine;
import io.automatix.process.JobTemplates;
import io.automatix.ssh.CommandResult;
import io.automatix.ssh.NeedsLogin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The supervise flow (Prodiguer's detect -> format -> dispatch): jobs that failed for good, got lost
 * or run late get one supervision per incident (and jobs the scheduler keeps refusing, stuck ones,
 * one that only alerts: {@link #detect()}); its recovery script is formatted from a template,
 * and at level 1 sent to operators as an alert, at level 2 dispatched over the cluster's SSH
 * connection and run there under a wall-clock limit. A script that resubmits the job prints
 * {@code automatix-resubmitted <scheduler id>}: the job moves to its next attempt under that id and
 * the run goes on from there. Each method returns the messages its route publishes.
 */
public final class Supervisor {

    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RESUBMITTED = Pattern.compile("(?m)^automatix-resubmitted ([0-9][0-9_.]*)\\s*$");

    private final SupervisionStore store;
    private final SupervisionSettings settings;
    private final SupervisionFormatter formatter;
    private final Clusters clusters;
    private final Map<String, Integer> levels;
    private final JobEngine jobs;

    /** @param levels the supervision level of each cluster: 0 off, 1 notify, 2 automatic */
    public Supervisor(
            Transactions transactions,
            String router,
            SupervisionSettings settings,
            JobTemplates templates,
            Clusters clusters,
            Map<String, Integer> levels,
            JobEngine jobs) {
        this.store = new SupervisionStore(transactions, router);
        this.settings = settings;
        this.formatter = new SupervisionFormatter(templates);
        this.clusters = clusters;
        this.levels = levels;
        this.jobs = jobs;
    }

    /** Detect: a supervision for each new incident (within the limits), to be formatted. */
    public List<Outgoing> detect() {
        List<String> supervised = levels.entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .map(Map.Entry::getKey)
                .toList();
        List<Outgoing> out = new ArrayList<>();
        if (supervised.isEmpty()) {
            return out;
        }
        for (SupervisionStore.Candidate c : store.incidents(supervised, settings)) {
            int level = levels.get(c.cluster());
            if (c.stuck()) {
                stuck(c, level).ifPresent(out::add);
                continue;
            }
            long[] counts = store.counts(c, settings.period());
            String limit = counts[0] >= settings.maxPerJob()
                    ? "the job has had " + counts[0] + " supervisions (at most " + settings.maxPerJob() + ")"
                    : counts[1] >= settings.maxPerRun()
                            ? "the run has had " + counts[1] + " supervisions within "
                                    + settings.period().toHours() + " h (at most " + settings.maxPerRun() + ")"
                            : null;
            if (limit != null) {
                Long id = store.insert(c, level, "escalated", "supervision limit: " + limit);
                if (id != null) {
                    LOG.warn("Supervision limit for job {} ({}): {}; its run fails", c.jobId(), c.trigger(), limit);
                    jobs.giveUp(c.jobId());
                    out.add(alert(store.find(id), "supervision limit: " + limit + "; the run fails", null));
                }
                continue;
            }
            Long id = store.insert(c, level, "pending", null);
            if (id != null) {
                LOG.info(
                        "Supervision {}: job {} {} (attempt {}), level {}",
                        id,
                        c.jobId(),
                        c.trigger(),
                        c.attempt(),
                        level);
                out.add(new Outgoing(Outgoing.FORMAT, String.valueOf(id)));
            }
        }
        return out;
    }

    /**
     * A stuck job (the scheduler keeps refusing it): at every level the supervision only tells
     * operators, once per attempt, with the scheduler's words. No script runs and nothing is failed:
     * the job keeps waiting, since a person may fix its request or raise the limit, and its
     * supervision closes when it is submitted or cancelled (V11's trigger). Stuck incidents count
     * against no supervision limit.
     */
    private Optional<Outgoing> stuck(SupervisionStore.Candidate c, int level) {
        Long id = store.insert(c, level, "notified", null);
        if (id == null) {
            return Optional.empty(); // told already
        }
        Incident incident = store.find(id);
        String cancel = incident.runId() != null
                ? "cancel the run: automatix runs cancel " + incident.runName()
                : "cancel the step: automatix wf cancel SESSION=" + incident.runName() + " STEP=" + incident.step();
        String fix = "The scheduler of cluster " + incident.cluster() + " has refused job " + incident.jobName()
                + " " + c.refusals() + " times since " + c.refusedSince() + "; it keeps waiting and is tried"
                + " again, less and less often. Fix the step's request in its "
                + (incident.runId() != null ? "pipeline" : "workflow") + " (resources, partition; read again at"
                + " each submission) or have the limit raised, and it is submitted by itself; or " + cancel + ".";
        LOG.warn(
                "Supervision {}: job {} on {} is stuck, refused {} times since {}: {}",
                id,
                incident.jobName(),
                incident.cluster(),
                c.refusals(),
                c.refusedSince(),
                c.detail());
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("step", incident.step());
        extra.put("since", String.valueOf(c.refusedSince()));
        extra.put("refusals", c.refusals());
        extra.put("fix", fix);
        return Optional.of(alert(incident, c.detail(), null, extra));
    }

    /** Format: the recovery script, stored base64; then dispatch (level 2) or an alert carrying it (level 1). */
    public List<Outgoing> format(String body) {
        long id = Long.parseLong(body.strip());
        Incident incident = store.find(id);
        if (incident == null || !incident.dispatchStatus().equals("pending")) {
            return List.of(); // formatted already (a redelivery)
        }
        Cluster cluster = clusters.get(incident.cluster()).orElse(null);
        String script;
        try {
            if (cluster == null) {
                throw new IllegalStateException("cluster '" + incident.cluster() + "' is no longer configured");
            }
            script = formatter.format(incident, cluster);
        } catch (RuntimeException e) {
            LOG.warn("Supervision {} cannot be formatted: {}", id, e.getMessage());
            store.fail(id, "format: " + e.getMessage());
            giveUpIfHeld(incident);
            return List.of(alert(incident, "the recovery script cannot be formatted: " + e.getMessage(), null));
        }
        if (incident.level() < 2) {
            store.formatted(id, script, "notified");
            return List.of(alert(
                    incident,
                    "job " + incident.jobName() + " " + incident.trigger() + "; level 1: not dispatched",
                    script));
        }
        store.formatted(id, script, "formatted");
        return List.of(new Outgoing(Outgoing.DISPATCH, String.valueOf(id)));
    }

    /** Dispatch: run the script on the cluster; retry an unreachable cluster with back-off, then escalate. */
    public List<Outgoing> dispatch(String body) {
        long id = Long.parseLong(body.strip());
        int attempt = store.claimDispatch(id, settings.lease());
        if (attempt == 0) {
            return List.of(); // not due, or another router has it
        }
        Incident incident = store.find(id);
        Cluster cluster = clusters.get(incident.cluster()).orElseThrow();
        String newName = incident.nextName();
        CommandResult result;
        try {
            // decoded on the far side; the script never passes through a command line
            result = clusters.shell(cluster)
                    .run(
                            List.of("sh", "-c", "base64 -d | sh -s"),
                            (incident.script() + "\n").getBytes(),
                            settings.dispatchTimeout(),
                            null);
        } catch (NeedsLogin e) {
            LOG.info("Supervision {} waits: {}", id, e.getMessage());
            store.dispatchLater(incident.id(), e.getMessage(), settings.backoffAfter(1), true);
            return List.of();
        } catch (IOException e) {
            return unreachable(incident, attempt, e.getMessage());
        }
        if (!result.succeeded()) {
            String error = "recovery script " + result.summary();
            LOG.warn("Supervision {} dispatched to {}, but {}", id, cluster.name(), error);
            store.dispatchEnded(incident, "failed", error, null, null);
            giveUpIfHeld(incident);
            return List.of(alert(incident, error, incident.script()));
        }
        Matcher m = RESUBMITTED.matcher(result.stdout());
        String schedulerJobId = m.find() ? m.group(1) : null;
        store.dispatchEnded(incident, "dispatched", null, newName, schedulerJobId);
        LOG.info(
                "Supervision {} dispatched to {}{}",
                id,
                cluster.name(),
                schedulerJobId == null ? "" : ": job resubmitted as " + newName + " (" + schedulerJobId + ")");
        return List.of();
    }

    private List<Outgoing> unreachable(Incident incident, int attempt, String reason) {
        if (attempt < settings.dispatchAttempts()) {
            Duration delay = settings.backoffAfter(attempt);
            LOG.info(
                    "Supervision {}: dispatch attempt {} failed, again in {} s: {}",
                    incident.id(),
                    attempt,
                    delay.toSeconds(),
                    reason);
            store.dispatchLater(incident.id(), reason, delay, false);
            return List.of();
        }
        String error = "cluster unreachable after " + attempt + " dispatch attempts: " + reason;
        LOG.warn("Supervision {} escalated: {}", incident.id(), error);
        store.dispatchEnded(incident, "escalated", error, null, null);
        giveUpIfHeld(incident);
        return List.of(alert(incident, error, incident.script()));
    }

    /** At level 2 a failed job's run waits for its supervision; when that comes to nothing, the run fails. */
    private void giveUpIfHeld(Incident incident) {
        if (incident.level() >= 2 && !incident.trigger().equals("late")) {
            jobs.giveUp(incident.jobId());
        }
    }

    private Outgoing alert(Incident incident, String reason, String script) {
        return alert(incident, reason, script, Map.of());
    }

    private Outgoing alert(Incident incident, String reason, String script, Map<String, Object> extra) {
        Map<String, Object> alert = new LinkedHashMap<>();
        alert.put("type", "supervision");
        alert.put("supervision", incident.id());
        alert.put("trigger", incident.trigger());
        alert.put("level", incident.level());
        alert.put("run", incident.runName());
        alert.put("job", incident.jobName());
        alert.put("cluster", incident.cluster());
        alert.put("reason", reason);
        alert.put("script_base64", script);
        alert.putAll(extra);
        try {
            return new Outgoing(Outgoing.ALERTS, JSON.writeValueAsString(alert));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
