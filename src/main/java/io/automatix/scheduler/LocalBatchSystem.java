package io.automatix.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Jobs as processes of the router's own host, with SLURM's contract: the same scripts and status
 * files, the walltime enforced by timeout(1), the process id as the job id (see local.sh).
 */
final class LocalBatchSystem extends BatchSystem {

    /** ax_start prints the process id of the job. */
    private static final Pattern JOB_ID = Pattern.compile("(?<id>[0-9]+)");

    /** Starting a process is never refused, so no refusal is permanent. */
    private static final Pattern NEVER = Pattern.compile("(?!)");

    /** ax_running reads the watched jobs and reports those whose process still runs. */
    private static final List<String> COMMANDS = List.of("setsid", "ps", "kill", "timeout");

    private static final List<String> POLL = List.of("ax_running");

    private static final Pattern POLL_LINE =
            Pattern.compile("(?<id>[^|]*)\\|(?<name>[^|]*)\\|(?<state>.*)", Pattern.DOTALL);
    private static final Map<String, State> STATES = Map.of("RUNNING", State.RUNNING);

    private static final Pattern PID = Pattern.compile("[0-9]+");

    /** A process asks for nothing: no directives, no arrays. */
    LocalBatchSystem() {
        super(new Knowledge("local", null, JOB_ID, NEVER, POLL, POLL_LINE, STATES, null, COMMANDS));
    }

    @Override
    public List<String> submitCommand(JobSubmission job, SiteSettings site) {
        return List.of(
                "ax_start",
                job.name(),
                String.valueOf(Math.max(1, job.walltime().toSeconds())));
    }

    /** Each job leads a session of its own: local.sh's ax_cancel kills the group, its children too. */
    @Override
    public List<String> cancelCommand(List<String> jobIds) {
        List<String> argv = new ArrayList<>(List.of("ax_cancel"));
        jobIds.stream().filter(id -> PID.matcher(id).matches()).forEach(argv::add);
        return argv.size() > 1 ? argv : List.of();
    }

    /** kill fails for a job already gone, which is all a failure can mean here. */
    @Override
    public boolean cancelledAnyway(String stderr) {
        return true;
    }
}
