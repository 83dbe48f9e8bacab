package io.automatix.workflow;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.automatix.scheduler.BatchSystems;
import io.automatix.scheduler.SubmitOptions;

/**
 * What a step's {@code command} may run: a program the site allows
 * ({@code automatix.workflow.commands}), never one that runs whatever it is given (a shell,
 * {@code env}, {@code xargs}), and a batch system's submit command ({@code sbatch}) only with the
 * options its {@link SubmitOptions.Rules} allow, plus the site's own per program
 * ({@code automatix.workflow.submit-options.<program>}, checked;
 * {@code automatix.workflow.submit-options-unchecked.<program>}, passed with any value).
 *
 * @param programs  the programs a step may run
 * @param extra     per submit program, the options a site allows besides the built-in ones
 * @param unchecked per submit program, the options a site passes as they are, refused ones included
 */
public record CommandPolicy(Set<String> programs, Map<String, Set<String>> extra, Map<String, Set<String>> unchecked) {

    public static final String COMMANDS = "automatix.workflow.commands";
    public static final String SUBMIT_OPTIONS = "automatix.workflow.submit-options";

    /**
     * Programs that run another program named in their arguments or read commands: allowing one
     * would allow everything, so no setting can.
     */
    static final Set<String> INTERPRETERS = Set.of(
            "sh",
            "bash",
            "dash",
            "ash",
            "ksh",
            "mksh",
            "zsh",
            "csh",
            "tcsh",
            "fish",
            "busybox",
            "env",
            "xargs",
            "exec",
            "eval",
            "command",
            "nohup",
            "nice",
            "ionice",
            "timeout",
            "setsid",
            "stdbuf",
            "time",
            "chrt",
            "taskset",
            "flock",
            "watch",
            "strace",
            "sudo",
            "su",
            "doas",
            "runuser",
            "chroot",
            "unshare",
            "nsenter",
            "ssh",
            "python",
            "python2",
            "python3",
            "perl",
            "ruby",
            "php",
            "lua",
            "tclsh",
            "node",
            "awk",
            "gawk",
            "mawk",
            "nawk",
            "expect",
            "find",
            "parallel",
            "srun",
            "mpirun",
            "mpiexec",
            "salloc");

    /** The policy of a site that allows sbatch with its built-in options, and nothing else. */
    public static final CommandPolicy SBATCH_ONLY = new CommandPolicy(Set.of("sbatch"), Map.of(), Map.of());

    public CommandPolicy {
        for (String program : programs) {
            if (INTERPRETERS.contains(basename(program))) {
                throw new IllegalArgumentException("bad setting '" + COMMANDS + "': '" + program
                        + "' runs whatever program or script it is given, so a step could run anything; remove it");
            }
        }
        programs = Set.copyOf(programs);
        extra = Map.copyOf(extra);
        unchecked = Map.copyOf(unchecked);
    }

    /** @throws IllegalArgumentException naming the program or option that is not allowed */
    void check(List<String> argv) {
        String program = argv.get(0);
        if (INTERPRETERS.contains(basename(program))) {
            throw new IllegalArgumentException("'" + program + "' runs whatever it is given (a shell or launcher):"
                    + " a step may not run it; submit a script with one of " + String.join(", ", sorted(programs)));
        }
        if (!programs.contains(program)) {
            throw new IllegalArgumentException("'" + program + "' is not a command steps may run here (" + COMMANDS
                    + ": " + String.join(", ", sorted(programs)) + ")");
        }
        SubmitOptions.Rules rules = BatchSystems.stepSubmits().get(basename(program));
        if (rules != null) {
            String name = rules.program();
            SubmitOptions.checkStep(
                    argv,
                    rules,
                    extra.getOrDefault(name, Set.of()),
                    unchecked.getOrDefault(name, Set.of()),
                    SUBMIT_OPTIONS);
        }
    }

    private static String basename(String program) {
        return program.substring(program.lastIndexOf('/') + 1);
    }

    private static Set<String> sorted(Set<String> names) {
        return new TreeSet<>(names);
    }
}
