package io.automatix.process;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * What a step's {@code on_failure} says to do when its job ends for a reason: retry it (with more
 * memory or walltime, up to a cap), requeue it as it was, or fail it at once. It is stored on the job
 * when its run is planned (as JSON) and applied on the job's retry path, so a job keeps the policy it
 * was planned with. {@code memoryKey}/{@code memory}: the step's {@code mem} (or {@code mem-per-cpu})
 * at planning, what a memory multiplier starts from; {@code partitionFixed}: the step names its
 * partition (a longer walltime keeps it, else the partition rules choose again).
 */
public record RecoveryPolicy(Map<String, Rule> rules, String memoryKey, String memory, boolean partitionFixed) {

    /** How often a requeue is granted when the step does not say: a node that keeps failing is not retried forever. */
    public static final int DEFAULT_REQUEUES = 3;

    /** The counter that requeues share, whatever their reason. */
    static final String REQUEUES = "requeue";

    public enum Action {
        RETRY,
        REQUEUE,
        FAIL
    }

    /**
     * One reason's rule. {@code limit}: how many retries (RETRY) or requeues (REQUEUE) it grants;
     * {@code memory}/{@code walltime}: factors (null: unchanged); caps in MB and seconds (null: none).
     */
    public record Rule(
            Action action, int limit, Double memory, Double walltime, Long maxMemoryMb, Long maxWalltimeSeconds) {

        static Rule fail() {
            return new Rule(Action.FAIL, 0, null, null, null, null);
        }

        static Rule requeue(int limit) {
            return new Rule(Action.REQUEUE, limit, null, null, null, null);
        }
    }

    /** How a failed or lost job's attempt ended, and what it ran with. */
    record Ended(
            String state,
            String reason,
            Integer exitCode,
            long walltimeSeconds,
            String partition,
            Map<String, String> overrides,
            Map<String, Integer> counts) {}

    /** What follows from an end. */
    enum Outcome {
        /** no rule for it: the step's retries, then supervision, as without a policy */
        UNCOVERED,
        /** submitted again (a new attempt) with these resources, not counted against the step's retries */
        RESUBMIT,
        /** failed for good at once: no retry, no supervision */
        FAIL,
        /** its rule's retries or requeues are spent: failed for good (supervision may still act) */
        SPENT
    }

    /** A decision; for RESUBMIT the next attempt's resources, walltime, partition and the rule's counters. */
    record Decision(
            Outcome outcome,
            String rule,
            Map<String, String> overrides,
            long walltimeSeconds,
            String partition,
            Map<String, Integer> counts,
            String note) {}

    /** The rule's key for an end: {@code exit N} first (for exit code N), then the reason's name. */
    String ruleFor(Ended end) {
        String reason = end.reason() != null ? end.reason() : "lost".equals(end.state()) ? "LOST" : null;
        if (end.exitCode() != null && end.exitCode() != 0 && (reason == null || "EXIT_CODE".equals(reason))) {
            String exit = "exit " + end.exitCode();
            if (rules.containsKey(exit)) {
                return exit;
            }
        }
        return reason != null && rules.containsKey(reason) ? reason : null;
    }

    /** @param partitions the partition for a walltime when the step names none (null: the scheduler's default) */
    Decision decide(Ended end, Function<Duration, String> partitions) {
        String key = ruleFor(end);
        if (key == null) {
            return new Decision(
                    Outcome.UNCOVERED,
                    null,
                    end.overrides(),
                    end.walltimeSeconds(),
                    end.partition(),
                    end.counts(),
                    null);
        }
        Rule rule = rules.get(key);
        if (rule.action() == Action.FAIL) {
            return new Decision(
                    Outcome.FAIL,
                    key,
                    end.overrides(),
                    end.walltimeSeconds(),
                    end.partition(),
                    end.counts(),
                    key + ": fail (by the step's on_failure)");
        }
        String counter = rule.action() == Action.REQUEUE ? REQUEUES : key;
        int used = end.counts().getOrDefault(counter, 0);
        String what = rule.action() == Action.REQUEUE ? "requeue" : "retry";
        if (used >= rule.limit()) {
            return new Decision(
                    Outcome.SPENT,
                    key,
                    end.overrides(),
                    end.walltimeSeconds(),
                    end.partition(),
                    end.counts(),
                    key + ": " + what + " " + used + " of " + rule.limit() + " already used, failed");
        }
        Map<String, Integer> counts = new LinkedHashMap<>(end.counts());
        counts.put(counter, used + 1);
        Map<String, String> overrides = new LinkedHashMap<>(end.overrides());
        StringBuilder note = new StringBuilder(key + ": " + what + " " + (used + 1) + " of " + rule.limit());
        if (rule.memory() != null && memoryKey != null) {
            long current = MemorySize.megabytes(overrides.getOrDefault(memoryKey, memory));
            long next = scaled(current, rule.memory(), rule.maxMemoryMb());
            overrides.put(memoryKey, MemorySize.format(next));
            note.append(", ").append(memoryKey).append(' ').append(MemorySize.format(next));
        }
        long walltime = end.walltimeSeconds();
        String partition = end.partition();
        if (rule.walltime() != null) {
            walltime = scaled(walltime, rule.walltime(), rule.maxWalltimeSeconds());
            if (!partitionFixed) {
                partition = partitions.apply(Duration.ofSeconds(walltime));
            }
            note.append(", walltime ")
                    .append(Duration.ofSeconds(walltime).toString().substring(2).toLowerCase());
            if (partition != null) {
                note.append(" on ").append(partition);
            }
        }
        return new Decision(
                Outcome.RESUBMIT, key, Map.copyOf(overrides), walltime, partition, Map.copyOf(counts), note.toString());
    }

    /** {@code value * factor}, rounded up, at most {@code cap} (a value already over the cap stays). */
    static long scaled(long value, double factor, Long cap) {
        long next = (long) Math.ceil(value * factor);
        return cap == null ? next : Math.max(value, Math.min(next, cap));
    }
}
