package io.automatix.scheduler;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.automatix.ssh.CommandResult;
import io.automatix.ssh.Shell;

/**
 * SLURM through the cluster's shell: {@code sbatch --parsable} under the job's name, run in the
 * job's directory (so its output and status file land beside its script); one
 * {@code squeue --me -t all} per poll, which lists jobs that ended within MinJobAge with their
 * final state.
 */
public final class SlurmScheduler extends ShellScheduler {

    private static final String SUBMIT = """
            ax_lookup() {
              name=$1 dir=$2
              if ! found=$(squeue -h -t all --me --name="$name" -o %i 2>&1); then
                echo "refused $name lookup failed: $(printf %s "$found" | tr '\\n' ' ')"; return 0
              fi
              found=$(printf '%s\\n' "$found" | head -n 1)
              if [ -n "$found" ]; then echo "found $name ${found%%_*}"; return 0; fi
              if [ -f "$dir/$name.status" ]; then echo "found $name -"; return 0; fi
              return 1
            }
            ax_submit() {
              name=$1 dir=$2 lookup=$3; shift 3
              if [ "$lookup" = 1 ] && ax_lookup "$name" "$dir"; then return; fi
              if out=$(cd -- "$dir" && sbatch --parsable --job-name="$name" --output="$name.out" "$@" "$name.sh" 2>&1); then
                echo "submitted $name $(printf '%s\\n' "$out" | tail -n 1 | cut -d';' -f1) $(date +%s.%N)"
              else
                echo "refused $name $(printf %s "$out" | tr '\\n' ' ')"
              fi
            }
            ax_command() {
              name=$1 dir=$2 lookup=$3 array=$4; shift 5
              if [ "$lookup" = 1 ] && ax_lookup "$name" "$dir"; then return; fi
              if [ -n "$array" ]; then export SBATCH_ARRAY_INX="$array"; fi
              if out=$(SBATCH_JOB_NAME="$name" "$@" 2>&1 < /dev/null); then
                id=$(printf '%s\\n' "$out" | sed -n 's/^Submitted batch job \\([0-9][0-9]*\\).*/\\1/p' | tail -n 1)
                [ -n "$id" ] || id=$(printf '%s\\n' "$out" | tail -n 1 | sed -n 's/^\\([0-9][0-9]*\\)\\(;.*\\)\\{0,1\\}$/\\1/p')
                if [ -n "$id" ]; then echo "submitted $name $id $(date +%s.%N)"
                else echo "rejected $name the command printed no job id: $(printf %s "$out" | tr '\\n' ' ')"; fi
              else
                echo "refused $name $(printf %s "$out" | tr '\\n' ' ')"
              fi
            }""";

    public SlurmScheduler(Shell shell, Duration timeout) {
        super(shell, timeout, SUBMIT);
    }

    @Override
    public boolean supportsArrays() {
        return true;
    }

    @Override
    protected List<String> submitOptions(JobSubmission job) {
        List<String> options = new ArrayList<>();
        if (job.partition() != null) {
            options.add("--partition=" + job.partition());
        }
        options.add("--time=" + walltime(job.walltime()));
        if (job.arraySize() > 0) {
            options.add("--array=0-" + (job.arraySize() - 1));
        }
        for (Map.Entry<String, String> r : job.resources().entrySet()) {
            options.add("--" + r.getKey() + "=" + r.getValue());
        }
        return options;
    }

    /** SLURM's D-HH:MM:SS, rounded up to whole minutes as SLURM does. */
    static String walltime(Duration d) {
        long minutes = Math.max(1, (d.toSeconds() + 59) / 60);
        return String.format("%d-%02d:%02d:00", minutes / 1440, minutes / 60 % 24, minutes % 60);
    }

    @Override
    protected void query(ShellScript script, List<WatchedJob> jobs) {
        script.line("""
                if q=$(squeue -h -r -t all --me -o '%i|%j|%T' 2>&1); then
                  [ -n "$q" ] && printf '%s\\n' "$q" | sed 's/^/job /'
                  echo "query ok"
                else
                  echo "query failed: $(printf %s "$q" | tr '\\n' ' ')"
                fi""");
    }

    @Override
    public void cancel(List<WatchedJob> jobs) throws IOException {
        List<String> argv = new ArrayList<>(List.of("scancel", "--"));
        jobs.stream()
                .map(WatchedJob::jobId)
                .filter(id -> id != null && id.matches("[0-9_]+"))
                .forEach(argv::add);
        if (argv.size() > 2) {
            CommandResult r = runCommand(argv);
            if (!r.succeeded() && !r.stderr().contains("Invalid job id")) {
                throw new IOException("scancel failed: " + r.summary());
            }
        }
    }
}
