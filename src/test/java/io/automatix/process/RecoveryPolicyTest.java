package io.automatix.process;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.automatix.process.RecoveryPolicy.Action;
import io.automatix.process.RecoveryPolicy.Decision;
import io.automatix.process.RecoveryPolicy.Ended;
import io.automatix.process.RecoveryPolicy.Outcome;
import io.automatix.process.RecoveryPolicy.Rule;
import io.automatix.scheduler.PartitionRules;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A step's on_failure as read from its pipeline, and what it decides per end. */
class RecoveryPolicyTest {

    private final PipelineParser parser = new PipelineParser(Set.of("a.sh.ftl")::contains);
    private final PartitionRules partitions = PartitionRules.parse("rules", "standby<=4h, physics");

    private RecoveryPolicy policy(String step) {
        return parser.parse("pipelines/p.yaml", "p", "steps:\n  A:\n" + step.indent(4))
                .step("A")
                .orElseThrow()
                .onFailure();
    }

    private String errors(String step) {
        return catchThrowableOfType(
                        () -> parser.parse("pipelines/p.yaml", "p", "steps:\n  A:\n" + step.indent(4)),
                        PipelineError.class)
                .getMessage();
    }

    private static final String FULL = """
            template: a.sh.ftl
            walltime: 2h
            resources: {mem: 4G}
            on_failure:
              OUT_OF_MEMORY: {retries: 2, memory: x2, max: 12G}
              TIMEOUT: {retries: 1, walltime: x2, max: 48h}
              NODE_FAIL: requeue
              PREEMPTED: {requeue: 5}
              "exit 3": fail
              EXIT_CODE: {memory: x1.5, walltime: x3, max_memory: 5G, max_walltime: 5h}
            """;

    @Test
    void everyKindOfRuleIsRead() {
        RecoveryPolicy p = policy(FULL);
        assertThat(p.rules())
                .containsEntry("OUT_OF_MEMORY", new Rule(Action.RETRY, 2, 2.0, null, 12L * 1024, null))
                .containsEntry("TIMEOUT", new Rule(Action.RETRY, 1, null, 2.0, null, 48L * 3600))
                .containsEntry(
                        "NODE_FAIL", new Rule(Action.REQUEUE, RecoveryPolicy.DEFAULT_REQUEUES, null, null, null, null))
                .containsEntry("PREEMPTED", new Rule(Action.REQUEUE, 5, null, null, null, null))
                .containsEntry("exit 3", new Rule(Action.FAIL, 0, null, null, null, null))
                // retries default to 1
                .containsEntry("EXIT_CODE", new Rule(Action.RETRY, 1, 1.5, 3.0, 5L * 1024, 5L * 3600));
        assertThat(p.memoryKey()).isEqualTo("mem");
        assertThat(p.memory()).isEqualTo("4G");
        assertThat(p.partitionFixed()).isFalse();
    }

    @Test
    void aPolicyIsKeptOnItsJobsAsJson() throws Exception {
        ObjectMapper json = new ObjectMapper();
        RecoveryPolicy p = policy(FULL);
        assertThat(json.readValue(json.writeValueAsString(p), RecoveryPolicy.class))
                .isEqualTo(p);
    }

    @Test
    void aStepWithoutOnFailureHasNoPolicy() {
        assertThat(policy("template: a.sh.ftl\nretries: 2")).isNull();
    }

    @Test
    void badPoliciesAreRefusedAtTheirLines() {
        String yaml = """
                template: a.sh.ftl
                on_failure:
                  OUT_OF_MEMROY: fail
                  COMPLETED: fail
                  "exit 0": fail
                  TIMEOUT: retry
                  OUT_OF_MEMORY: {retries: 2, memory: x2}
                  NODE_FAIL: {requeue: 2, retries: 1}
                  EXIT_CODE: {walltime: 2, max: 4G}
                  SIGNALLED: {walltime: x2, memory: x2, max: 4h, speed: x2}
                  LOST: {retries: lots, max_memory: 4G}
                """;
        assertThat(errors(yaml).lines())
                .containsExactly(
                        "pipelines/p.yaml:5: steps.A.on_failure.OUT_OF_MEMROY: unknown reason 'OUT_OF_MEMROY'"
                                + " (expected 'exit N' for an exit code from 1 to 255, or one of [EXIT_CODE, SIGNALLED,"
                                + " OUT_OF_MEMORY, TIMEOUT, NODE_FAIL, PREEMPTED, CANCELLED, NOT_STARTED, LOST])",
                        "pipelines/p.yaml:6: steps.A.on_failure.COMPLETED: unknown reason 'COMPLETED'"
                                + " (expected 'exit N' for an exit code from 1 to 255, or one of [EXIT_CODE, SIGNALLED,"
                                + " OUT_OF_MEMORY, TIMEOUT, NODE_FAIL, PREEMPTED, CANCELLED, NOT_STARTED, LOST])",
                        "pipelines/p.yaml:7: steps.A.on_failure.exit 0: unknown reason 'exit 0'"
                                + " (expected 'exit N' for an exit code from 1 to 255, or one of [EXIT_CODE, SIGNALLED,"
                                + " OUT_OF_MEMORY, TIMEOUT, NODE_FAIL, PREEMPTED, CANCELLED, NOT_STARTED, LOST])",
                        "pipelines/p.yaml:8: steps.A.on_failure.TIMEOUT: 'retry' is not fail, requeue, {requeue: N}"
                                + " or {retries: N, memory: xF, walltime: xF, max: cap}",
                        "pipelines/p.yaml:9: steps.A.on_failure.OUT_OF_MEMORY.memory: the step asks for no memory"
                                + " to multiply: give it resources.mem (or mem-per-cpu)",
                        "pipelines/p.yaml:10: steps.A.on_failure.NODE_FAIL: requeue submits the job again as it"
                                + " was: it takes no retries, memory, walltime or max",
                        "pipelines/p.yaml:11: steps.A.on_failure.EXIT_CODE.walltime: '2' is not a factor such as"
                                + " x2 or x1.5 (more than x1, at most x100)",
                        "pipelines/p.yaml:11: steps.A.on_failure.EXIT_CODE.max: '4G' is not a walltime"
                                + " (e.g. 90m, 4h, 1d, 01:30:00, 2-00:00:00)",
                        "pipelines/p.yaml:12: steps.A.on_failure.SIGNALLED.speed: unknown key (expected one of"
                                + " [max, max_memory, max_walltime, memory, requeue, retries, walltime])",
                        "pipelines/p.yaml:12: steps.A.on_failure.SIGNALLED.memory: the step asks for no memory"
                                + " to multiply: give it resources.mem (or mem-per-cpu)",
                        "pipelines/p.yaml:12: steps.A.on_failure.SIGNALLED.max: max is ambiguous with both memory"
                                + " and walltime: use max_memory and max_walltime",
                        "pipelines/p.yaml:13: steps.A.on_failure.LOST.retries: 'lots' is not a number from 0 to 99",
                        "pipelines/p.yaml:13: steps.A.on_failure.LOST.max_memory: max_memory caps memory: xF,"
                                + " which is not given");
    }

    @Test
    void aCapOfTheWrongKindIsRefused() {
        assertThat(errors("template: a.sh.ftl\nresources: {mem: 1G}\non_failure:\n  TIMEOUT: {walltime: x2, max: 4G}"))
                .startsWith("pipelines/p.yaml:6: steps.A.on_failure.TIMEOUT.max: ");
        assertThat(errors("template: a.sh.ftl\nresources: {mem: 1G}\non_failure:\n  TIMEOUT: {memory: x2, max: 4h}"))
                .isEqualTo("pipelines/p.yaml:6: steps.A.on_failure.TIMEOUT.max: '4h' is not a memory size"
                        + " (a whole number with K, M, G or T, e.g. 4G)");
        assertThat(errors("template: a.sh.ftl\non_failure: fail"))
                .isEqualTo("pipelines/p.yaml:4: steps.A.on_failure: expected a mapping");
    }

    // --- decisions ----------------------------------------------------------------------------------

    private static Ended ended(
            String reason, Integer exit, long walltime, Map<String, String> overrides, Map<String, Integer> counts) {
        return new Ended("failed", reason, exit, walltime, "standby", overrides, counts);
    }

    private Decision decide(RecoveryPolicy p, Ended end) {
        return p.decide(end, partitions::choose);
    }

    @Test
    void outOfMemoryDoublesTheStepsMemoryThenTheLastAttemptsUpToItsCap() {
        RecoveryPolicy p = policy(FULL);
        Decision first = decide(p, ended("OUT_OF_MEMORY", null, 7200, Map.of(), Map.of()));
        assertThat(first.outcome()).isEqualTo(Outcome.RESUBMIT);
        assertThat(first.overrides()).containsExactly(Map.entry("mem", "8G"));
        assertThat(first.counts()).containsExactly(Map.entry("OUT_OF_MEMORY", 1));
        assertThat(first.walltimeSeconds()).isEqualTo(7200);
        assertThat(first.partition()).isEqualTo("standby");
        assertThat(first.note()).isEqualTo("OUT_OF_MEMORY: retry 1 of 2, mem 8G");
        Decision second = decide(p, ended("OUT_OF_MEMORY", null, 7200, first.overrides(), first.counts()));
        assertThat(second.overrides()).containsExactly(Map.entry("mem", "12G")); // 16G capped
        Decision third = decide(p, ended("OUT_OF_MEMORY", null, 7200, second.overrides(), second.counts()));
        assertThat(third.outcome()).isEqualTo(Outcome.SPENT);
        assertThat(third.note()).isEqualTo("OUT_OF_MEMORY: retry 2 of 2 already used, failed");
    }

    @Test
    void timeoutDoublesTheWalltimeAndTheRulesChooseThePartitionAgain() {
        RecoveryPolicy p = policy(FULL);
        Decision d = decide(p, ended("TIMEOUT", null, 3 * 3600, Map.of(), Map.of()));
        assertThat(d.outcome()).isEqualTo(Outcome.RESUBMIT);
        assertThat(d.walltimeSeconds()).isEqualTo(6 * 3600);
        assertThat(d.partition()).isEqualTo("physics");
        assertThat(d.note()).isEqualTo("TIMEOUT: retry 1 of 1, walltime 6h on physics");
        // capped at 48 h
        assertThat(decide(p, ended("TIMEOUT", null, 40 * 3600, Map.of(), Map.of()))
                        .walltimeSeconds())
                .isEqualTo(48 * 3600);
        // a step that names its partition keeps it
        RecoveryPolicy fixed = policy("template: a.sh.ftl\npartition: debug\non_failure:\n  TIMEOUT: {walltime: x2}");
        Decision kept = fixed.decide(
                new Ended("failed", "TIMEOUT", null, 3 * 3600, "debug", Map.of(), Map.of()), partitions::choose);
        assertThat(kept.partition()).isEqualTo("debug");
    }

    @Test
    void bothFactorsApplyWithTheirOwnCaps() {
        Decision d = decide(policy(FULL), ended("EXIT_CODE", 1, 2 * 3600, Map.of(), Map.of()));
        assertThat(d.overrides()).containsExactly(Map.entry("mem", "5G")); // 6G capped
        assertThat(d.walltimeSeconds()).isEqualTo(5 * 3600); // 6 h capped
        assertThat(MemorySize.format((long) Math.ceil(200 * 1.5))).isEqualTo("300M");
    }

    @Test
    void anExitCodeRuleComesBeforeTheReasonAndFailsAtOnce() {
        RecoveryPolicy p = policy(FULL);
        Decision exit3 = decide(p, ended("EXIT_CODE", 3, 7200, Map.of(), Map.of()));
        assertThat(exit3.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(exit3.rule()).isEqualTo("exit 3");
        assertThat(exit3.note()).isEqualTo("exit 3: fail (by the step's on_failure)");
        assertThat(decide(p, ended("EXIT_CODE", 4, 7200, Map.of(), Map.of())).rule())
                .isEqualTo("EXIT_CODE");
        // an exit code an out-of-memory kill left is the kill's reason
        assertThat(decide(p, ended("OUT_OF_MEMORY", 3, 7200, Map.of(), Map.of()))
                        .rule())
                .isEqualTo("OUT_OF_MEMORY");
    }

    @Test
    void requeuesKeepTheResourcesAndShareOneBoundedCount() {
        RecoveryPolicy p = policy(FULL);
        Decision node = decide(p, ended("NODE_FAIL", null, 7200, Map.of("mem", "8G"), Map.of("OUT_OF_MEMORY", 1)));
        assertThat(node.outcome()).isEqualTo(Outcome.RESUBMIT);
        assertThat(node.overrides()).containsExactly(Map.entry("mem", "8G"));
        assertThat(node.walltimeSeconds()).isEqualTo(7200);
        assertThat(node.counts()).containsEntry("requeue", 1).containsEntry("OUT_OF_MEMORY", 1);
        assertThat(node.note()).isEqualTo("NODE_FAIL: requeue 1 of 3");
        Decision spent = decide(p, ended("NODE_FAIL", null, 7200, Map.of(), Map.of("requeue", 3)));
        assertThat(spent.outcome()).isEqualTo(Outcome.SPENT);
        assertThat(decide(p, ended("PREEMPTED", null, 7200, Map.of(), Map.of("requeue", 3)))
                        .outcome())
                .isEqualTo(Outcome.RESUBMIT); // PREEMPTED allows 5
    }

    @Test
    void reasonsNotListedAreLeftToTheStepsRetries() {
        RecoveryPolicy p = policy(FULL);
        Decision d = decide(p, ended("CANCELLED", null, 7200, Map.of("mem", "8G"), Map.of()));
        assertThat(d.outcome()).isEqualTo(Outcome.UNCOVERED);
        assertThat(d.overrides()).containsExactly(Map.entry("mem", "8G"));
        assertThat(d.note()).isNull();
        // a submission refused (no reason recorded) is not the policy's either
        assertThat(decide(p, ended(null, null, 7200, Map.of(), Map.of())).outcome())
                .isEqualTo(Outcome.UNCOVERED);
        // a lost job without a recorded reason is LOST
        RecoveryPolicy lost = policy("template: a.sh.ftl\non_failure:\n  LOST: requeue");
        assertThat(lost.decide(new Ended("lost", null, null, 60, null, Map.of(), Map.of()), partitions::choose)
                        .outcome())
                .isEqualTo(Outcome.RESUBMIT);
    }

    @Test
    void memorySizesAreReadAsSbatchTakesThem() {
        assertThat(MemorySize.megabytes("200")).isEqualTo(200);
        assertThat(MemorySize.megabytes("2g")).isEqualTo(2048);
        assertThat(MemorySize.megabytes("1T")).isEqualTo(1024 * 1024);
        assertThat(MemorySize.megabytes("1536K")).isEqualTo(2);
        assertThat(MemorySize.format(2048)).isEqualTo("2G");
        assertThat(MemorySize.format(400)).isEqualTo("400M");
        assertThat(RecoveryPolicy.scaled(100, 2, 150L)).isEqualTo(150);
        assertThat(RecoveryPolicy.scaled(200, 2, 150L)).isEqualTo(200); // already over its cap: kept
        assertThat(Duration.ofSeconds(RecoveryPolicy.scaled(3600, 1.5, null))).isEqualTo(Duration.ofMinutes(90));
    }
}
