package io.automatix.cluster;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.automatix.amqp.AmqpTopology;
import io.automatix.amqp.PushTarget;
import io.automatix.scheduler.BatchScheduler;
import io.automatix.scheduler.JobStatus;
import io.automatix.scheduler.JobSubmission;
import io.automatix.scheduler.SubmitResult;
import io.automatix.scheduler.WatchedJob;
import io.automatix.ssh.CommandResult;
import io.automatix.ssh.Shell;
import io.automatix.ssh.ShellQuote;
import io.automatix.ssh.SshHops;
import io.automatix.ssh.UserCertificate;

/**
 * {@code automatix doctor}: checks in turn what a cluster needs for the router's work (every hop,
 * the login, the batch system, scratch, and whether a job on a compute node reaches the push URL),
 * each with pass, warn or fail and the reason. A check that cannot pass stops those that need it.
 */
public final class ClusterDoctor {

    public enum Outcome {
        PASS,
        WARN,
        FAIL
    }

    /** One check's outcome and what it found, or what to do. */
    public record Finding(String check, Outcome outcome, String detail) {}

    /** A certificate that expires within this is warned about (health and doctor). */
    public static final Duration CERTIFICATE_WARNING = Duration.ofDays(7);

    private static final Duration COMMAND = Duration.ofSeconds(30);
    private static final long LOW_SPACE_KB = 1024L * 1024L;

    private final Clusters clusters;
    private final Map<String, BatchScheduler> schedulers;
    private final Map<String, String> pushUrls;
    private final Duration jobTimeout;

    /**
     * @param schedulers each cluster's batch system, as the job engine uses it
     * @param pushUrls   the URL each cluster's jobs push their status to (none: status files only)
     * @param jobTimeout how long the test job may take (queue wait included) before its push is not verified
     */
    public ClusterDoctor(
            Clusters clusters,
            Map<String, BatchScheduler> schedulers,
            Map<String, String> pushUrls,
            Duration jobTimeout) {
        this.clusters = clusters;
        this.schedulers = schedulers;
        this.pushUrls = pushUrls;
        this.jobTimeout = jobTimeout;
    }

    public List<Finding> examine(Cluster cluster) {
        List<Finding> findings = new ArrayList<>();
        if (cluster.remote()) {
            findings.addAll(certificates(cluster, Instant.now()));
        }
        if (cluster.remote() && !(hops(cluster, findings) && login(cluster, findings))) {
            return findings;
        }
        Shell shell = clusters.shell(cluster);
        BatchScheduler scheduler = schedulers.get(cluster.name());
        if (scheduler(cluster, scheduler, findings) && scratch(cluster, shell, findings)) {
            push(cluster, shell, scheduler, findings);
        }
        return findings;
    }

    /**
     * The user certificates the cluster is logged in to with (on any hop): when each expires, a
     * warning within {@link #CERTIFICATE_WARNING}, a failure once it has.
     */
    public static List<Finding> certificates(Cluster cluster, Instant now) {
        List<UserCertificate> certificates;
        try {
            certificates = UserCertificate.of(cluster.ssh());
        } catch (IOException e) {
            return List.of(new Finding("certificate", Outcome.FAIL, e.getMessage()));
        }
        List<Finding> findings = new ArrayList<>();
        for (UserCertificate cert : certificates) {
            String check = "certificate " + cert.file().getFileName();
            Optional<Instant> expires = cert.expires();
            if (expires.isEmpty()) {
                findings.add(new Finding(check, Outcome.PASS, cert.file() + " never expires"));
            } else if (cert.expiredAt(now)) {
                findings.add(new Finding(
                        check,
                        Outcome.FAIL,
                        cert.file() + " expired at " + expires.get()
                                + ": get a new one from the site (e.g. sshproxy)"));
            } else if (expires.get().isBefore(now.plus(CERTIFICATE_WARNING))) {
                findings.add(new Finding(
                        check,
                        Outcome.WARN,
                        cert.file() + " expires at " + expires.get() + ", in "
                                + Duration.between(now, expires.get()).toHours() + " h: renew it before then"));
            } else {
                findings.add(new Finding(check, Outcome.PASS, cert.file() + " valid until " + expires.get()));
            }
        }
        return findings;
    }

    private boolean hops(Cluster cluster, List<Finding> findings) {
        List<String> hops;
        try {
            hops = SshHops.of(cluster.ssh());
        } catch (IOException e) {
            findings.add(new Finding("hops", Outcome.FAIL, e.getMessage()));
            return false;
        }
        for (int i = 0; i < hops.size(); i++) {
            String check = "hop " + (i + 1) + " " + hops.get(i);
            try {
                CommandResult r = SshHops.reach(cluster.ssh(), hops, i);
                if (!r.succeeded()) {
                    findings.add(new Finding(
                            check,
                            Outcome.FAIL,
                            "cannot pass hop " + (i + 1) + " (" + hops.get(i) + ") on the way to "
                                    + cluster.ssh().host() + ": " + r.summary()));
                    return false;
                }
                findings.add(new Finding(check, Outcome.PASS, "reached and logged in"));
            } catch (IOException e) {
                findings.add(new Finding(check, Outcome.FAIL, e.getMessage()));
                return false;
            }
        }
        return true;
    }

    private boolean login(Cluster cluster, List<Finding> findings) {
        try {
            CommandResult r = clusters.shell(cluster).run(List.of("true"), COMMAND);
            if (!r.succeeded()) {
                findings.add(new Finding("login", Outcome.FAIL, "a command failed: " + r.summary()));
                return false;
            }
            findings.add(new Finding(
                    "login",
                    Outcome.PASS,
                    "logged in to " + cluster.ssh() + " over " + cluster.ssh().transport()));
            return true;
        } catch (IOException e) {
            findings.add(new Finding("login", Outcome.FAIL, e.getMessage()));
            return false;
        }
    }

    private boolean scheduler(Cluster cluster, BatchScheduler scheduler, List<Finding> findings) {
        try {
            List<String> problems = scheduler.check();
            findings.add(
                    problems.isEmpty()
                            ? new Finding("scheduler", Outcome.PASS, cluster.scheduler() + " answers")
                            : new Finding("scheduler", Outcome.FAIL, String.join("; ", problems)));
            return problems.isEmpty();
        } catch (IOException e) {
            findings.add(new Finding("scheduler", Outcome.FAIL, e.getMessage()));
            return false;
        }
    }

    private boolean scratch(Cluster cluster, Shell shell, List<Finding> findings) {
        String dir = cluster.scratch().toString();
        String script = "mkdir -p -- \"$1\" && f=$(mktemp -p \"$1\" .automatix-doctor.XXXXXX) && rm -f -- \"$f\""
                + " && df -Pk -- \"$1\" | awk 'NR == 2 {print $4}'";
        try {
            CommandResult r = shell.run(List.of("sh", "-c", script, "sh", dir), COMMAND);
            if (!r.succeeded()) {
                findings.add(new Finding(
                        "scratch",
                        Outcome.FAIL,
                        dir + " is not writable: " + r.summary() + "; create it or set automatix.clusters."
                                + cluster.name() + ".scratch"));
                return false;
            }
            long freeKb = Long.parseLong(r.stdout().strip());
            String free = freeKb / 1024 / 1024 + " GiB free";
            findings.add(
                    freeKb < LOW_SPACE_KB
                            ? new Finding("scratch", Outcome.WARN, dir + " is writable but has only " + free)
                            : new Finding("scratch", Outcome.PASS, dir + " is writable, " + free));
            return true;
        } catch (IOException | NumberFormatException e) {
            findings.add(new Finding("scratch", Outcome.FAIL, dir + ": " + e.getMessage()));
            return false;
        }
    }

    /** A tiny job that publishes to the push URL from where jobs run; its output says whether it could. */
    private void push(Cluster cluster, Shell shell, BatchScheduler scheduler, List<Finding> findings) {
        String pushUrl = pushUrls.get(cluster.name());
        if (pushUrl == null) {
            findings.add(new Finding(
                    "push",
                    Outcome.WARN,
                    "no push-url: job status comes from the status files at each poll (set automatix.clusters."
                            + cluster.name() + ".push-url for status within a second)"));
            return;
        }
        String name = "automatix-doctor-" + Instant.now().toEpochMilli();
        String dir = cluster.scratch().resolve(".automatix-doctor").toString();
        PushTarget target;
        try {
            target = PushTarget.parse(pushUrl);
        } catch (IllegalArgumentException e) {
            findings.add(new Finding("push", Outcome.FAIL, e.getMessage()));
            return;
        }
        // the login in a file beside the job (mode 600), as jobs have it: never on a command line; the
        // ping goes where jobs report, and the job-status listener drops it
        List<String> publish = new java.util.ArrayList<>(List.of("amqp-publish"));
        publish.addAll(target.publishOptions(name + ".amqp"));
        publish.addAll(List.of("-e", AmqpTopology.JOB_STATUS_EXCHANGE, "-b", "{\"doctor\":\"" + name + "\"}"));
        String script = "#!/bin/sh\n"
                + "if ! command -v amqp-publish >/dev/null 2>&1; then echo 'no amqp-publish on the compute node';\n"
                + "elif ! amqp-publish --help 2>&1 | grep -q -e --authfile; then"
                + " echo 'amqp-publish on the compute node cannot read its login from a file (--authfile)';\n"
                + "elif " + ShellQuote.command(publish) + " 2>&1; then echo pushed; fi\n"
                + "printf 'finished 0 %s\\n' \"$(date +%s)\" > " + ShellQuote.quote(name + ".status") + "\n";
        try {
            List<SubmitResult> submitted = scheduler.submit(
                    List.of(new JobSubmission(name, dir, script, null, Duration.ofMinutes(5), Map.of(), false)
                            .withSecrets(Map.of(name + ".amqp", target.credentialsFile()))));
            SubmitResult result = submitted.get(0);
            if (result.outcome() != SubmitResult.Outcome.SUBMITTED) {
                findings.add(new Finding("push", Outcome.FAIL, "the test job was refused: " + result.message()));
                return;
            }
            WatchedJob job = new WatchedJob(name, result.jobId(), dir);
            Instant deadline = Instant.now().plus(jobTimeout);
            while (Instant.now().isBefore(deadline)) {
                List<JobStatus> statuses = scheduler.poll(List.of(job));
                if (statuses.stream().anyMatch(s -> s.event() == JobStatus.Event.LOST)) {
                    findings.add(new Finding("push", Outcome.FAIL, "the test job " + result.jobId() + " was lost"));
                    return;
                }
                if (statuses.stream().anyMatch(s -> s.event() == JobStatus.Event.FINISHED)) {
                    CommandResult out = shell.run(List.of("cat", "--", dir + "/" + name + ".out"), COMMAND);
                    shell.run(List.of("rm", "-rf", "--", dir), COMMAND);
                    findings.add(
                            out.stdout().contains("pushed")
                                    ? new Finding("push", Outcome.PASS, "a job on a compute node reached the push URL")
                                    : new Finding(
                                            "push",
                                            Outcome.WARN,
                                            "a job on a compute node could not reach the push URL ("
                                                    + out.stdout().strip()
                                                    + "): job status will come from the status files"));
                    return;
                }
                Thread.sleep(1000);
            }
            scheduler.cancel(List.of(job));
            findings.add(new Finding(
                    "push",
                    Outcome.WARN,
                    "the test job did not end within " + jobTimeout.toSeconds() + " s (queued?): push not verified"));
        } catch (IOException e) {
            findings.add(new Finding("push", Outcome.FAIL, "the test job: " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            findings.add(new Finding("push", Outcome.FAIL, "interrupted"));
        }
    }
}
