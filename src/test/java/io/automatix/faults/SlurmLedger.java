package io.automatix.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.automatix.testing.SlurmJobs;

/**
 * Every SLURM job of the suite that SLURM ever showed. SLURM forgets a finished job MinJobAge (300 s
 * here) after it ends, and the suite runs longer, so its view is read every few seconds and kept.
 */
final class SlurmLedger implements AutoCloseable {

    /** SLURM's job id -> its name and last seen state. */
    private final Map<String, String[]> jobs = new ConcurrentHashMap<>();

    private final String tag;
    private final ScheduledExecutorService reader = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "slurm-ledger");
        t.setDaemon(true);
        return t;
    });

    private SlurmLedger(String tag) {
        this.tag = tag;
    }

    /** A ledger that reads SLURM every 5 s, keeping the jobs whose names contain the tag. */
    static SlurmLedger reading(String tag) {
        SlurmLedger ledger = new SlurmLedger(tag);
        ledger.reader.scheduleWithFixedDelay(ledger::read, 0, 5, TimeUnit.SECONDS);
        return ledger;
    }

    /** A ledger filled by hand, to test the checks that read it. */
    static SlurmLedger of(String tag) {
        return new SlurmLedger(tag);
    }

    void seen(String id, String name, String state) {
        jobs.put(id, new String[] {name, state});
    }

    void read() {
        try {
            for (Map<String, String> job : SlurmJobs.now().jobs()) {
                String name = job.get("JobName");
                if (name != null && name.contains(tag)) {
                    seen(job.get("JobId"), name, job.get("JobState"));
                }
            }
        } catch (AssertionError e) {
            // slurmctld busy; the next read catches up well within MinJobAge
        }
    }

    /** Job name -> the SLURM job ids that carried it. */
    Map<String, Set<String>> idsByName() {
        Map<String, Set<String>> byName = new TreeMap<>();
        jobs.forEach((id, job) ->
                byName.computeIfAbsent(job[0], n -> new TreeSet<>()).add(id));
        return byName;
    }

    int size() {
        return jobs.size();
    }

    List<String> describe(Set<String> ids) {
        List<String> out = new ArrayList<>();
        for (String id : ids) {
            out.add(id + " " + jobs.get(id)[1]);
        }
        return out;
    }

    @Override
    public void close() {
        reader.shutdownNow();
    }
}
