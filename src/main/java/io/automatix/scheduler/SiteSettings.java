package io.automatix.scheduler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * How a site wants its jobs: what differs between clusters beyond how they are reached. Each is a
 * cluster setting ({@code automatix.clusters.<name>.<key>}) whose default is the global
 * {@code automatix.process.<key>}.
 *
 * @param partitions    which partition a job goes to by its walltime ({@code partition-rules})
 * @param requests      what every job asks for unless its step says otherwise: {@code account},
 *                      {@code qos} (as step resources: {@code --account=lab-a})
 * @param preamble      shell lines run before every scheduler command and in every job, before its
 *                      step ({@code module load slurm}, {@code source /etc/profile}); "" for none
 * @param submitOptions extra options of every submit command: {@code submit-options}, checked
 *                      against the batch system's allow-list, then {@code submit-options-unchecked}
 * @param pollMin       the poll interval while jobs change ({@code poll-min-ms})...
 * @param pollMax       ...doubled while nothing does, up to this ({@code poll-max-ms})
 * @param slurmClusters SLURM's {@code --clusters} for a federated or multi-cluster site, on every
 *                      sbatch, squeue, sacct and scancel; null for the local one
 * @param umask         the umask of the job's directory, files and outputs ({@code job-umask}), null: the login's
 * @param group         the group of the job's directories, inherited by what the jobs write there
 *                      ({@code job-group}, so a scientists' group can read the outputs), null: the login's
 */
public record SiteSettings(
        PartitionRules partitions,
        Map<String, String> requests,
        String preamble,
        List<String> submitOptions,
        Duration pollMin,
        Duration pollMax,
        String slurmClusters,
        String umask,
        String group) {

    /** The keys, each also a global {@code automatix.process.<key>} that is its default. */
    public static final Set<String> KEYS = Set.of(
            "partition-rules",
            "account",
            "qos",
            "preamble",
            "submit-options",
            "submit-options-unchecked",
            "poll-min-ms",
            "poll-max-ms",
            "slurm-clusters",
            "job-umask",
            "job-group");

    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*");
    private static final Pattern WORDS = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*(,[A-Za-z0-9_][A-Za-z0-9._-]*)*");
    private static final Pattern UMASK = Pattern.compile("0?[0-7]{3}");
    private static final Pattern MILLIS = Pattern.compile("[1-9][0-9]{0,8}");

    /** The settings of a site that asks for nothing of its own. */
    public static SiteSettings none(String scheduler) {
        return read(scheduler, key -> null, key -> key);
    }

    /**
     * Reads a cluster's site settings; {@code setting} gives a key's value (the cluster's, else the
     * global one, else null) and {@code name} its full property name, for errors.
     *
     * @throws IllegalArgumentException naming the setting and what is wrong with it
     */
    public static SiteSettings read(String scheduler, Function<String, String> setting, Function<String, String> name) {
        Map<String, String> requests = new LinkedHashMap<>();
        for (String key : List.of("account", "qos")) {
            String value = word(setting, name, key, WORD, "a name");
            if (value != null) {
                requests.put(key, value);
            }
        }
        List<String> options = new ArrayList<>(options(scheduler, setting, name, "submit-options", true));
        options.addAll(options(scheduler, setting, name, "submit-options-unchecked", false));
        String clusters = word(setting, name, "slurm-clusters", WORDS, "a cluster name or a comma-separated list");
        if (clusters != null && !scheduler.equals("slurm")) {
            throw bad(
                    name,
                    "slurm-clusters",
                    clusters,
                    "is for SLURM only, and this cluster's scheduler is " + scheduler);
        }
        Duration pollMin = millis(setting, name, "poll-min-ms", 2_000);
        Duration pollMax = millis(setting, name, "poll-max-ms", 60_000);
        if (pollMax.compareTo(pollMin) < 0) {
            throw bad(name, "poll-max-ms", String.valueOf(pollMax.toMillis()), "is less than poll-min-ms");
        }
        return new SiteSettings(
                PartitionRules.parse(name.apply("partition-rules"), orEmpty(setting.apply("partition-rules"))),
                Map.copyOf(requests),
                orEmpty(setting.apply("preamble")),
                List.copyOf(options),
                pollMin,
                pollMax,
                clusters,
                word(setting, name, "job-umask", UMASK, "an octal umask such as 0027"),
                word(setting, name, "job-group", WORD, "a group name"));
    }

    private static String word(
            Function<String, String> setting, Function<String, String> name, String key, Pattern valid, String what) {
        String value = setting.apply(key);
        if (value == null || value.isBlank()) {
            return null;
        }
        if (!valid.matcher(value.strip()).matches()) {
            throw bad(name, key, value, "is not " + what);
        }
        return value.strip();
    }

    private static List<String> options(
            String scheduler,
            Function<String, String> setting,
            Function<String, String> name,
            String key,
            boolean checked) {
        String value = setting.apply(key);
        if (value == null || value.isBlank()) {
            return List.of();
        }
        Set<String> allowed = BatchSystems.get(scheduler).submitOptionsAllowed();
        List<String> options = Arrays.asList(value.strip().split("\\s+"));
        for (String option : options) {
            var m = SubmitOptions.OPTION.matcher(option);
            if (!m.matches()) {
                throw bad(name, key, option, "is not an option written --name or --name=value (without spaces)");
            }
            if (checked && !allowed.contains(m.group(1))) {
                throw bad(
                        name,
                        key,
                        option,
                        "is not one of the options Automatix passes to " + scheduler + " as it is ("
                                + String.join(" ", allowed.stream().sorted().toList())
                                + "). A site that needs it may put it in '" + name.apply(key)
                                + "-unchecked', where it is passed unchecked: make sure it does not change where the job's"
                                + " files go, its name or its time limit, which the router relies on");
            }
        }
        return options;
    }

    private static Duration millis(
            Function<String, String> setting, Function<String, String> name, String key, long dflt) {
        String value = word(setting, name, key, MILLIS, "a positive number of milliseconds");
        return Duration.ofMillis(value == null ? dflt : Long.parseLong(value));
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value.strip();
    }

    private static IllegalArgumentException bad(Function<String, String> name, String key, String value, String why) {
        return new IllegalArgumentException("bad cluster setting '" + name.apply(key) + "': '" + value + "' " + why);
    }
}
