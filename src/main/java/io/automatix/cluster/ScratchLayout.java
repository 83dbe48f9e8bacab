package io.automatix.cluster;

import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Where a run's files and its job files go on a cluster: {@code run-dir} ({@code {scratch}/{run}}
 * unless set; it ends in the run's name, which its archive's paths start with) and {@code job-dir}
 * ({@code {run-dir}/.automatix}). A site whose scratch is purged
 * may keep the job files elsewhere ({@code /home/asterix/jobs/{run}}), one that files runs by
 * project under its scratch says so in {@code run-dir}. Changed, it applies to the jobs submitted
 * after the change: a job's directory is recorded when it is submitted.
 */
public record ScratchLayout(String runDir, String jobDir) {

    public static final ScratchLayout DEFAULT = new ScratchLayout("{scratch}/{run}", "{run-dir}/.automatix");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{[^}]*}");
    private static final Pattern PATH = Pattern.compile("[A-Za-z0-9_./{}-]+");

    /** @throws IllegalArgumentException naming the setting ({@code name} gives its full name) */
    static ScratchLayout read(Function<String, String> setting, Function<String, String> name) {
        return new ScratchLayout(
                pattern(setting, name, "run-dir", DEFAULT.runDir(), "{scratch}"),
                pattern(setting, name, "job-dir", DEFAULT.jobDir(), "{run-dir}"));
    }

    public String runDirectory(String scratch, String run) {
        return runDir.replace("{scratch}", scratch).replace("{run}", run);
    }

    public String jobDirectory(String scratch, String run) {
        return jobDir.replace("{run-dir}", runDirectory(scratch, run)).replace("{run}", run);
    }

    private static String pattern(
            Function<String, String> setting, Function<String, String> name, String key, String dflt, String base) {
        String value = setting.apply(key);
        if (value == null || value.isBlank()) {
            return dflt;
        }
        String v = value.strip();
        Set<String> known = Set.of("{run}", base);
        boolean named = PLACEHOLDER.matcher(v).results().allMatch(m -> known.contains(m.group()));
        boolean run = key.equals("run-dir") ? v.endsWith("/{run}") : v.contains("{run");
        if (!named || !run || !PATH.matcher(v).matches() || v.contains("..")) {
            throw new IllegalArgumentException("bad cluster setting '" + name.apply(key) + "': '" + v
                    + "' is not a path of letters, digits and ._-/ that may start with " + base
                    + (key.equals("run-dir") ? " and ends in /{run}" : " and names {run} or " + base));
        }
        return v;
    }
}
