package io.automatix.process;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.automatix.description.Fields;
import io.automatix.description.YamlReader;
import io.automatix.process.RecoveryPolicy.Action;
import io.automatix.process.RecoveryPolicy.Rule;
import io.automatix.scheduler.JobEnd;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Reads a step's {@code on_failure}: per reason (a {@link JobEnd.Reason} but COMPLETED, or {@code exit
 * N}) {@code fail}, {@code requeue}, {@code {requeue: N}} or {@code {retries: N, memory: xF, walltime:
 * xF, max: cap}} ({@code max} caps the one resource multiplied; {@code max_memory}/{@code
 * max_walltime} name theirs). Errors go to the reader, at their line.
 */
final class RecoveryPolicyReader {

    private static final Set<String> RULE =
            Set.of("retries", "memory", "walltime", "max", "max_memory", "max_walltime", "requeue");
    private static final Pattern EXIT = Pattern.compile("exit (\\d{1,3})");
    private static final Pattern FACTOR = Pattern.compile("x(\\d{1,3}(?:\\.\\d{1,3})?)");
    private static final double MAX_FACTOR = 100;

    private RecoveryPolicyReader() {}

    /** @return the policy, or null when none is given or it has errors (reported) */
    static RecoveryPolicy read(YamlReader r, Node node, String field, Map<String, String> resources, String partition) {
        Fields f = r.mapping(node, field, null);
        if (f == null) {
            return null;
        }
        int errors = r.errors().inOrderFound().size();
        String memoryKey =
                resources.containsKey("mem") ? "mem" : resources.containsKey("mem-per-cpu") ? "mem-per-cpu" : null;
        Map<String, Rule> rules = new LinkedHashMap<>();
        for (String key : f.keys()) {
            String at = field + "." + key;
            if (!validKey(key)) {
                r.error(
                        f.key(key),
                        at,
                        "unknown reason '" + key + "' (expected 'exit N' for an exit code from 1 to 255, or one of "
                                + Arrays.stream(JobEnd.Reason.values())
                                        .filter(x -> x != JobEnd.Reason.COMPLETED)
                                        .map(Enum::name)
                                        .toList()
                                + ")");
                continue;
            }
            Rule rule = rule(r, f.get(key), at, memoryKey);
            if (rule != null) {
                rules.put(key, rule);
            }
        }
        if (r.errors().inOrderFound().size() > errors) {
            return null;
        }
        return new RecoveryPolicy(
                Map.copyOf(rules), memoryKey, memoryKey == null ? null : resources.get(memoryKey), partition != null);
    }

    private static boolean validKey(String key) {
        Matcher exit = EXIT.matcher(key);
        if (exit.matches()) {
            int code = Integer.parseInt(exit.group(1));
            return code >= 1 && code <= 255;
        }
        return Arrays.stream(JobEnd.Reason.values())
                .anyMatch(x -> x != JobEnd.Reason.COMPLETED && x.name().equals(key));
    }

    private static Rule rule(YamlReader r, Node node, String field, String memoryKey) {
        if (node instanceof ScalarNode) {
            String word = r.string(node, field);
            if ("fail".equals(word)) {
                return Rule.fail();
            }
            if ("requeue".equals(word)) {
                return Rule.requeue(RecoveryPolicy.DEFAULT_REQUEUES);
            }
            if (word != null) {
                r.error(
                        node,
                        field,
                        "'" + word
                                + "' is not fail, requeue, {requeue: N} or {retries: N, memory: xF, walltime: xF, max: cap}");
            }
            return null;
        }
        Fields f = r.mapping(node, field, RULE);
        if (f == null) {
            return null;
        }
        if (f.has("requeue")) {
            Integer n = r.integer(f.get("requeue"), field + ".requeue", 1, 99, "a number of requeues");
            if (f.size() > 1) {
                r.error(
                        node,
                        field,
                        "requeue submits the job again as it was: it takes no retries, memory, walltime or max");
            }
            return n == null ? null : Rule.requeue(n);
        }
        Integer retries = f.has("retries")
                ? r.integer(f.get("retries"), field + ".retries", 0, 99, "a number")
                : Integer.valueOf(1);
        Double memory = f.has("memory") ? factor(r, f.get("memory"), field + ".memory") : null;
        Double walltime = f.has("walltime") ? factor(r, f.get("walltime"), field + ".walltime") : null;
        if (f.has("memory") && memoryKey == null) {
            r.error(
                    f.get("memory"),
                    field + ".memory",
                    "the step asks for no memory to multiply: give it resources.mem (or mem-per-cpu)");
        }
        Long maxMemory = f.has("max_memory") ? memory(r, f.get("max_memory"), field + ".max_memory") : null;
        Long maxWalltime =
                f.has("max_walltime") ? seconds(r.duration(f.get("max_walltime"), field + ".max_walltime")) : null;
        if (f.has("max")) {
            if (f.has("memory") == f.has("walltime")) {
                r.error(
                        f.get("max"),
                        field + ".max",
                        f.has("memory")
                                ? "max is ambiguous with both memory and walltime: use max_memory and max_walltime"
                                : "max caps a multiplied resource: give memory: xF or walltime: xF");
            } else if (f.has("memory")) {
                maxMemory = memory(r, f.get("max"), field + ".max");
            } else {
                maxWalltime = seconds(r.duration(f.get("max"), field + ".max"));
            }
        }
        if (f.has("max_memory") && !f.has("memory")) {
            r.error(f.get("max_memory"), field + ".max_memory", "max_memory caps memory: xF, which is not given");
        }
        if (f.has("max_walltime") && !f.has("walltime")) {
            r.error(
                    f.get("max_walltime"),
                    field + ".max_walltime",
                    "max_walltime caps walltime: xF, which is not given");
        }
        return retries == null ? null : new Rule(Action.RETRY, retries, memory, walltime, maxMemory, maxWalltime);
    }

    private static Double factor(YamlReader r, Node node, String field) {
        String value = r.string(node, field);
        if (value == null) {
            return null;
        }
        Matcher m = FACTOR.matcher(value);
        double factor = m.matches() ? Double.parseDouble(m.group(1)) : 0;
        if (factor <= 1 || factor > MAX_FACTOR) {
            r.error(node, field, "'" + value + "' is not a factor such as x2 or x1.5 (more than x1, at most x100)");
            return null;
        }
        return factor;
    }

    private static Long memory(YamlReader r, Node node, String field) {
        String value = r.string(node, field);
        if (value == null) {
            return null;
        }
        try {
            return MemorySize.megabytes(value);
        } catch (IllegalArgumentException e) {
            r.error(node, field, e.getMessage());
            return null;
        }
    }

    private static Long seconds(Duration d) {
        return d == null ? null : d.toSeconds();
    }
}
