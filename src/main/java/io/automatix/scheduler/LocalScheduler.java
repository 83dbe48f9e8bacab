package io.automatix.scheduler;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.automatix.ssh.Shell;

/**
 * Jobs as processes of the router's own host, with SLURM's contract: the same scripts and status
 * files, the walltime enforced by timeout(1), the process id as the job id. Each job runs in its own
 * session, so that it outlives the router and is cancelled with its children.
 */
public final class LocalScheduler extends ShellScheduler {

    private static final String SUBMIT = """
            ax_submit() {
              name=$1 dir=$2 lookup=$3 seconds=$4
              if [ "$lookup" = 1 ] && { [ -f "$dir/$name.pid" ] || [ -f "$dir/$name.status" ]; }; then
                echo "found $name $(cat -- "$dir/$name.pid" 2>/dev/null || echo -)"; return
              fi
              ( cd -- "$dir" && exec setsid timeout -k 10 "$seconds" sh "./$name.sh" > "$name.out" 2>&1 < /dev/null ) &
              echo $! > "$dir/$name.pid"
              echo "submitted $name $! $(date +%s.%N)"
            }
            ax_command() {
              name=$1 dir=$2 lookup=$3 seconds=$5; shift 5
              if [ "$lookup" = 1 ] && { [ -f "$dir/$name.pid" ] || [ -f "$dir/$name.status" ]; }; then
                echo "found $name $(cat -- "$dir/$name.pid" 2>/dev/null || echo -)"; return
              fi
              # no batch system here: the command is the job; its shell is named after the job's
              # script (as the liveness check expects) and writes the status file when it ends
              ( exec setsid timeout -k 10 "$seconds" sh -c '"$@"; printf "finished %s %s\\n" $? "$(date +%s.%N)" > "${0%.sh}.status"' \\
                  "$dir/$name.sh" "$@" > "$dir/$name.out" 2>&1 < /dev/null ) &
              echo $! > "$dir/$name.pid"
              echo "submitted $name $! $(date +%s.%N)"
            }""";

    public LocalScheduler(Shell shell, Duration timeout) {
        super(shell, timeout, SUBMIT);
    }

    @Override
    protected List<String> submitOptions(JobSubmission job) {
        return List.of(String.valueOf(Math.max(1, job.walltime().toSeconds())));
    }

    /** A job runs while its process does and still runs its script (pids are reused). */
    @Override
    protected void query(ShellScript script, List<WatchedJob> jobs) {
        List<String> lines = new ArrayList<>();
        for (WatchedJob job : jobs) {
            lines.add(job.name() + "|" + (job.jobId() == null ? "-" : job.jobId()));
        }
        script.heredoc("""
                while IFS='|' read -r name pid; do
                  if [ "$pid" != - ] && ps -o args= -p "$pid" 2>/dev/null | grep -qF -- "$name.sh"; then
                    echo "job $pid|$name|RUNNING"
                  fi
                done""", String.join("\n", lines));
        script.line("echo 'query ok'");
    }

    @Override
    public void cancel(List<WatchedJob> jobs) throws IOException {
        List<String> argv = new ArrayList<>(List.of("kill", "-TERM", "--"));
        jobs.stream()
                .map(WatchedJob::jobId)
                .filter(id -> id != null && id.matches("[0-9]+"))
                .map(id -> "-" + id)
                .forEach(argv::add);
        if (argv.size() > 3) {
            runCommand(argv); // a job already gone is not an error
        }
    }
}
