package io.automatix.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which options a submit command may carry: the site's {@code submit-options} (checked against
 * {@link BatchSystem#submitOptionsAllowed()}) and a workflow step's own submit command
 * ({@code sbatch job.sh}), checked against its batch system's {@link Rules}. An option is
 * {@code --name=value}, or {@code --name} for the flags that take no value: with a value in the next
 * word, where the options end (and the script begins) would be a guess, and a guess lets
 * {@code --wrap} through.
 */
public final class SubmitOptions {

    /** {@code --name} or {@code --name=value}, without spaces: group 1 the name, group 2 the value. */
    static final Pattern OPTION = Pattern.compile("(--[a-z][a-z0-9-]*)(?:=(\\S+))?");

    /**
     * A batch system's rules for a step's own submit command.
     *
     * @param program the submit command ({@code sbatch})
     * @param allowed the options a step may give as they are
     * @param flags   the options (allowed or unchecked) that take no value
     * @param paths   options whose value is a path: relative and without {@code ..}, so it stays in
     *                the directory the step runs in (the session's)
     * @param refused options never allowed unless the site passes them unchecked, each with why
     */
    public record Rules(
            String program, Set<String> allowed, Set<String> flags, Set<String> paths, Map<String, String> refused) {}

    private SubmitOptions() {}

    /**
     * Checks a step's submit command: its options up to the script (the first word that is not an
     * option; what follows is the script's), each allowed by the rules, by {@code extra} (the site's
     * own additions, checked like the built-in ones) or by {@code unchecked} (passed with any value).
     *
     * @param setting the site's settings, named in the refusals ({@code automatix.workflow.submit-options})
     * @throws IllegalArgumentException naming the option and what to do about it
     */
    public static void checkStep(
            List<String> argv, Rules rules, Set<String> extra, Set<String> unchecked, String setting) {
        for (String word : argv.subList(1, argv.size())) {
            if (!word.startsWith("-")) {
                if (word.equals(":")) {
                    throw new IllegalArgumentException("'" + rules.program()
                            + " ... : ...' (a heterogeneous job) is not allowed in a step's command");
                }
                return; // the script: the rest are its arguments
            }
            Matcher m = OPTION.matcher(word);
            if (!m.matches()) {
                throw new IllegalArgumentException("option '" + word + "' of " + rules.program()
                        + " is not allowed in a step's command: write options long, as --name=value");
            }
            String name = m.group(1);
            String value = m.group(2);
            if (value == null && !rules.flags().contains(name)) {
                throw new IllegalArgumentException("option '" + word + "' of " + rules.program()
                        + " needs its value in the same word (" + name + "=value)");
            }
            if (unchecked.contains(name)) {
                continue;
            }
            String why = rules.refused().get(name);
            if (why != null) {
                throw new IllegalArgumentException("option '" + word + "' of " + rules.program()
                        + " is not allowed in a step's command (" + why + "); a site that must allow it lists "
                        + name + " in " + setting + "-unchecked." + rules.program());
            }
            if (!rules.allowed().contains(name) && !extra.contains(name)) {
                Set<String> all = new TreeSet<>(rules.allowed());
                all.addAll(extra);
                throw new IllegalArgumentException("option '" + word + "' of " + rules.program()
                        + " is not allowed in a step's command (allowed: " + String.join(" ", all)
                        + "; a site adds more in " + setting + "." + rules.program() + ")");
            }
            if (rules.paths().contains(name) && !inside(value)) {
                throw new IllegalArgumentException("option '" + word + "' of " + rules.program()
                        + " names a path outside the session's directory: give it relative, without '..'"
                        + " (or a site lists " + name + " in " + setting + "-unchecked." + rules.program() + ")");
            }
        }
    }

    /** The names of options as a site setting lists them ({@code --gres,--constraint}). */
    public static Set<String> names(String setting, String value) {
        List<String> names = new ArrayList<>();
        for (String name : value.strip().split("[\\s,]+")) {
            if (name.isEmpty()) {
                continue;
            }
            Matcher m = OPTION.matcher(name);
            if (!m.matches() || m.group(2) != null) {
                throw new IllegalArgumentException(
                        "bad setting '" + setting + "': '" + name + "' is not an option name such as --gres");
            }
            names.add(name);
        }
        return Set.copyOf(names);
    }

    private static boolean inside(String path) {
        if (path.startsWith("/") || path.startsWith("~")) {
            return false;
        }
        for (String segment : path.split("/")) {
            if (segment.equals("..")) {
                return false;
            }
        }
        return true;
    }
}
