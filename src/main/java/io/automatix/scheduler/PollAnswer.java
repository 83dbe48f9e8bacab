package io.automatix.scheduler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * What a poll script printed: the batch system's answer ({@code job} lines, then whether its query
 * succeeded) and the jobs' status files, read after it so that a job that ended between the two is
 * seen by its status file.
 */
final class PollAnswer {

    /** A job as the batch system lists it. */
    record Listed(String id, String state) {}

    private final Map<String, List<Listed>> listed = new HashMap<>();
    private final Map<String, String> statusFiles = new HashMap<>();
    private boolean queryOk;
    private String queryError = "no answer";

    private PollAnswer() {}

    static PollAnswer parse(BatchSystem system, String stdout) {
        PollAnswer answer = new PollAnswer();
        for (String line : stdout.split("\n")) {
            if (line.startsWith("job ")) {
                Matcher m = system.pollLine().matcher(line.substring(4));
                if (m.matches()) {
                    answer.list(
                            system,
                            m.group("id"),
                            m.group("name"),
                            m.group("state").strip());
                }
            } else if (line.startsWith("status ")) {
                String[] f = line.substring(7).split("\\|", 2);
                answer.statusFiles.put(f[0], f.length > 1 ? f[1].strip() : "");
            } else if (line.equals("query ok")) {
                answer.queryOk = true;
            } else if (line.startsWith("query failed")) {
                answer.queryError = line;
            }
        }
        return answer;
    }

    /** A task of an array is known by its array's name and by its own, {@code <name>_<index>}. */
    private void list(BatchSystem system, String id, String name, String state) {
        Listed job = new Listed(id, state);
        listed.computeIfAbsent(name, k -> new ArrayList<>()).add(job);
        system.arrayTaskId()
                .map(p -> p.matcher(id))
                .filter(Matcher::matches)
                .ifPresent(task -> listed.computeIfAbsent(
                                JobSubmission.taskName(name, Integer.parseInt(task.group("task"))),
                                k -> new ArrayList<>())
                        .add(job));
    }

    /** Whether anything may be concluded: the query succeeded, or status files were read. */
    boolean answered() {
        return queryOk || !statusFiles.isEmpty();
    }

    String queryError() {
        return queryError;
    }

    List<JobStatus> statuses(Map<String, BatchSystem.State> states, List<WatchedJob> jobs) {
        List<JobStatus> statuses = new ArrayList<>();
        for (WatchedJob job : jobs) {
            JobStatus status =
                    conclude(states, job, statusFiles.get(job.statusFile()), listed.get(job.name()), queryOk);
            if (status != null) {
                statuses.add(status);
            }
        }
        return statuses;
    }

    /**
     * The status file's outcome wins (it holds the exit code); then the batch system's state; a
     * job neither knows is lost, but only if the batch system's query succeeded.
     */
    static JobStatus conclude(
            Map<String, BatchSystem.State> states,
            WatchedJob job,
            String statusFile,
            List<Listed> listed,
            boolean queryOk) {
        if (statusFile != null && statusFile.startsWith("finished ")) {
            String[] f = statusFile.split(" ");
            try {
                return new JobStatus(
                        job.name(),
                        JobStatus.Event.FINISHED,
                        Integer.parseInt(f[1]),
                        "status file",
                        f.length > 2 ? ShellScheduler.epoch(f[2]) : null,
                        job.jobId());
            } catch (NumberFormatException e) {
                return JobStatus.finished(job.name(), null, "unreadable status file: " + statusFile);
            }
        }
        boolean started = statusFile != null && statusFile.startsWith("started");
        Listed scheduled = scheduledJob(job, listed);
        if (scheduled != null) {
            BatchSystem.State state = states.get(scheduled.state());
            String detail = "scheduler: " + scheduled.state();
            JobStatus status = state == null
                    ? started ? JobStatus.started(job.name()) : null
                    : switch (state) {
                        case RUNNING -> JobStatus.started(job.name());
                        case SUCCEEDED -> JobStatus.finished(job.name(), 0, detail);
                        case FAILED -> JobStatus.finished(job.name(), null, detail);
                        case LOST -> JobStatus.lost(job.name(), detail);
                    };
            return status == null ? null : status.withSchedulerJobId(scheduled.id());
        }
        if (!queryOk) {
            return started ? JobStatus.started(job.name()) : null;
        }
        return JobStatus.lost(job.name(), "gone from the scheduler without an outcome in its status file");
    }

    /** The batch system's job with the recorded id, or the newest one with the name. */
    private static Listed scheduledJob(WatchedJob job, List<Listed> listed) {
        if (listed == null || listed.isEmpty()) {
            return null;
        }
        for (Listed s : listed) {
            if (s.id().equals(job.jobId())) {
                return s;
            }
        }
        return listed.get(listed.size() - 1);
    }
}
