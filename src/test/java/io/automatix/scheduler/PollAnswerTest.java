package io.automatix.scheduler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.automatix.ssh.ShellQuote;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each batch system's poll answer, as recorded (squeue -h -r -t all -u USER -o '%i|%j|%T'), put
 * through the real shell functions and the parser: its state table, array tasks, older jobs of the
 * same name, status files, and a query that failed.
 */
class PollAnswerTest {

    @TempDir
    Path dir;

    /** What a watched job is concluded to be (no event: still waiting), and why it ended. */
    private record Expected(JobStatus.Event event, Integer exitCode, JobEnd.Reason reason) {}

    @Test
    void slurmsStateTable() throws IOException {
        Map<String, Expected> expected = Map.ofEntries(
                waiting("PENDING"),
                waiting("SUSPENDED"),
                waiting("REQUEUED"),
                waiting("REQUEUE_HOLD"),
                waiting("RESV_DEL_HOLD"),
                started("RUNNING"),
                started("COMPLETING"),
                started("CONFIGURING"),
                started("STAGE_OUT"),
                started("SIGNALING"),
                started("RESIZING"),
                ended("COMPLETED", JobStatus.Event.FINISHED, 0, JobEnd.Reason.COMPLETED),
                ended("FAILED", JobStatus.Event.FINISHED, null, JobEnd.Reason.EXIT_CODE),
                ended("TIMEOUT", JobStatus.Event.FINISHED, null, JobEnd.Reason.TIMEOUT),
                ended("OUT_OF_MEMORY", JobStatus.Event.FINISHED, null, JobEnd.Reason.OUT_OF_MEMORY),
                ended("NODE_FAIL", JobStatus.Event.FINISHED, null, JobEnd.Reason.NODE_FAIL),
                ended("BOOT_FAIL", JobStatus.Event.FINISHED, null, JobEnd.Reason.NOT_STARTED),
                ended("DEADLINE", JobStatus.Event.FINISHED, null, JobEnd.Reason.NOT_STARTED),
                ended("SPECIAL_EXIT", JobStatus.Event.FINISHED, null, JobEnd.Reason.EXIT_CODE),
                ended("CANCELLED", JobStatus.Event.LOST, null, JobEnd.Reason.CANCELLED),
                ended("PREEMPTED", JobStatus.Event.LOST, null, JobEnd.Reason.PREEMPTED),
                ended("REVOKED", JobStatus.Event.LOST, null, JobEnd.Reason.LOST));
        StringBuilder squeue = new StringBuilder();
        List<WatchedJob> watched = new ArrayList<>();
        int id = 100;
        for (String state : expected.keySet()) {
            squeue.append(id)
                    .append("|r.")
                    .append(state)
                    .append(".1|")
                    .append(state)
                    .append('\n');
            watched.add(new WatchedJob("r." + state + ".1", String.valueOf(id++), dir.toString()));
        }
        Map<String, JobStatus> statuses = poll(new SlurmBatchSystem(), squeue.toString(), watched);
        for (String state : expected.keySet()) {
            Expected e = expected.get(state);
            JobStatus s = statuses.get("r." + state + ".1");
            if (e.event() == null) {
                assertThat(s).as(state).isNull();
                continue;
            }
            assertThat(s).as(state).isNotNull();
            assertThat(s.event()).as(state).isEqualTo(e.event());
            assertThat(s.exitCode()).as(state).isEqualTo(e.exitCode());
            if (e.reason() != null) {
                assertThat(s.end().reason()).as(state).isEqualTo(e.reason());
                assertThat(s.end().state()).as(state).isEqualTo(state);
                assertThat(s.detail()).as(state).isEqualTo(s.end().detail());
                if (e.reason() != JobEnd.Reason.COMPLETED) {
                    assertThat(s.detail()).as(state).isNotBlank();
                }
            }
            assertThat(s.schedulerJobId()).as(state).isNotNull();
        }
    }

    @Test
    void slurmsArraysOlderJobsStatusFilesAndJobsGone() throws IOException {
        Files.writeString(dir.resolve("r.pending.1.status"), "started 1763800000.25\n");
        Files.writeString(dir.resolve("r.done.1.status"), "started 1763800000.25\nfinished 3 1763800001.5\n");
        String squeue = String.join(
                "\n",
                "22_0|r.array.1|RUNNING",
                "22_1|r.array.1|COMPLETED",
                "22_2|r.array.1|PENDING",
                "9|r.again.1|COMPLETED", // an older job of the same name
                "23|r.again.1|RUNNING",
                "30|r.pending.1|PENDING", // the status file says it started: squeue has not caught up
                "31|r.done.1|RUNNING", // the status file has its end
                "squeue: warning: a line that is not a job");
        Map<String, JobStatus> s = poll(
                new SlurmBatchSystem(),
                squeue,
                List.of(
                        watch("r.array.1_0", "22_0"),
                        watch("r.array.1_1", "22_1"),
                        watch("r.array.1_2", "22_2"),
                        watch("r.again.1", "23"),
                        watch("r.pending.1", "30"),
                        watch("r.done.1", "31"),
                        watch("r.gone.1", "40")));
        assertThat(s.get("r.array.1_0").event()).isEqualTo(JobStatus.Event.STARTED);
        assertThat(s.get("r.array.1_0").schedulerJobId()).isEqualTo("22_0");
        assertThat(s.get("r.array.1_1").event()).isEqualTo(JobStatus.Event.FINISHED);
        assertThat(s.get("r.array.1_1").exitCode()).isZero();
        assertThat(s).doesNotContainKey("r.array.1_2");
        assertThat(s.get("r.again.1").event()).isEqualTo(JobStatus.Event.STARTED);
        assertThat(s.get("r.again.1").schedulerJobId()).isEqualTo("23");
        assertThat(s.get("r.pending.1").event()).isEqualTo(JobStatus.Event.STARTED);
        assertThat(s.get("r.done.1").event()).isEqualTo(JobStatus.Event.FINISHED);
        assertThat(s.get("r.done.1").exitCode()).isEqualTo(3);
        assertThat(s.get("r.done.1").detail()).isEqualTo("exit code 3");
        assertThat(s.get("r.done.1").end().reason()).isEqualTo(JobEnd.Reason.EXIT_CODE);
        assertThat(s.get("r.done.1").at().toEpochMilli()).isEqualTo(1763800001500L);
        assertThat(s.get("r.gone.1").event()).isEqualTo(JobStatus.Event.LOST);
        assertThat(s).hasSize(6);
    }

    @Test
    void aFailedQueryConcludesNothingButWhatTheStatusFilesSay() throws IOException {
        Files.writeString(dir.resolve("r.ran.1.status"), "started 1763800000.25\n");
        Files.writeString(dir.resolve("r.ended.1.status"), "finished 0 1763800001.5\n");
        String stdout = ShellFunctions.run(
                new SlurmBatchSystem(),
                ShellQuote.command(List.of(
                                "ax_query",
                                "sh",
                                "-c",
                                "echo 'squeue: error: slurm_load_jobs error: Socket timed out on send/recv operation' >&2;"
                                        + " exit 1"))
                        + "\n"
                        + statusFiles(List.of(watch("r.ran.1", "1"), watch("r.ended.1", "2"), watch("r.x.1", "3"))));
        PollAnswer answer = PollAnswer.parse(new SlurmBatchSystem(), stdout);
        assertThat(answer.answered()).isTrue();
        assertThat(answer.queryError())
                .isEqualTo(
                        "query failed: squeue: error: slurm_load_jobs error: Socket timed out on send/recv operation");
        Map<String, JobStatus> s = byJob(answer.statuses(
                new SlurmBatchSystem(), List.of(watch("r.ran.1", "1"), watch("r.ended.1", "2"), watch("r.x.1", "3"))));
        assertThat(s.get("r.ran.1").event()).isEqualTo(JobStatus.Event.STARTED);
        assertThat(s.get("r.ended.1").event()).isEqualTo(JobStatus.Event.FINISHED);
        assertThat(s).hasSize(2); // r.x.1 is not lost: nobody could say

        String nothing = ShellFunctions.run(
                new SlurmBatchSystem(), ShellQuote.command(List.of("ax_query", "sh", "-c", "exit 1")));
        assertThat(PollAnswer.parse(new SlurmBatchSystem(), nothing).answered()).isFalse();
    }

    /**
     * Ends explained by sacct, as slurm-wlm 22.05.8 printed them here (slurm.sh's ax_accounting):
     * a job over its --mem is killed with signal 9 (no cgroups: OverMemoryKill), one past its
     * walltime is TIMEOUT after the wrapper caught TERM, and one cancelled says by whom.
     */
    @Test
    void slurmsAccountingSaysWhyJobsEnded() throws IOException {
        Files.writeString(dir.resolve("r.oom.1.status"), "started 1763800000.25\n");
        Files.writeString(dir.resolve("r.late.1.status"), "finished 143 USR1 TERM 1763800133.5\n");
        Files.writeString(dir.resolve("r.cancelled.1.status"), "finished 143 TERM 1763800010.5\n");
        Map<String, JobStatus> s = answer(
                List.of(
                        watch("r.oom.1", "5"),
                        watch("r.late.1", "4"),
                        watch("r.cancelled.1", "6"),
                        watch("r.unaccounted.1", "12")),
                "job 4|r.late.1|TIMEOUT",
                "query ok",
                "account 1001 automatix-test",
                "acct 4|TIMEOUT|0:0|00:02:13|00:01:00|21694M||vm",
                "acct 4.batch|FAILED|15:0|00:02:13|||3328K|vm",
                "acct 5|FAILED|0:9|00:00:01|04:00:00|50M||vm",
                "acct 5.batch|CANCELLED by 0|0:9|00:00:01|||321952K|vm",
                "acct 6|CANCELLED by 1001|0:15|00:00:04|04:00:00|512M||vm",
                // slurmdbd was down while it ran: the job without its steps, exit code 0:0
                "acct 12|FAILED|0:0|00:00:28|00:10:00|100M||vm",
                "accounting ok");
        JobStatus oom = s.get("r.oom.1");
        assertThat(oom.event()).isEqualTo(JobStatus.Event.FINISHED);
        assertThat(oom.exitCode()).isEqualTo(137);
        assertThat(oom.end().reason()).isEqualTo(JobEnd.Reason.OUT_OF_MEMORY);
        assertThat(oom.detail()).isEqualTo("out of memory: used 314 MiB (MaxRSS) of the 50 MiB asked for");
        assertThat(oom.end().maxRssBytes()).isEqualTo(321952L * 1024);
        assertThat(oom.end().node()).isEqualTo("vm");
        JobStatus late = s.get("r.late.1");
        assertThat(late.exitCode()).isEqualTo(143);
        assertThat(late.end().reason()).isEqualTo(JobEnd.Reason.TIMEOUT);
        assertThat(late.detail()).isEqualTo("walltime exceeded: ran 2 min 13 s of its 1 min 00 s limit");
        assertThat(late.end().elapsedSeconds()).isEqualTo(133L);
        assertThat(late.at().toEpochMilli()).isEqualTo(1763800133500L);
        JobStatus unknown = s.get("r.unaccounted.1");
        assertThat(unknown.event()).isEqualTo(JobStatus.Event.FINISHED);
        assertThat(unknown.exitCode()).as("FAILED is never a success").isNull();
        assertThat(unknown.end().reason()).isEqualTo(JobEnd.Reason.SIGNALLED);
        JobStatus cancelled = s.get("r.cancelled.1");
        assertThat(cancelled.event()).isEqualTo(JobStatus.Event.LOST);
        assertThat(cancelled.detail()).isEqualTo("cancelled by automatix-test (the account Automatix submits as)");
    }

    /**
     * What scontrol requeue (and requeuehold, a preemption or a node failure with requeue) leaves, as
     * slurm-wlm 22.05.8 showed it here: the wrapper caught TERM, and squeue lists the same id PENDING
     * again (REQUEUED for a moment, REQUEUE_HOLD while held). The job goes on, and the requeue is
     * reported once per run it stopped (its time is the run's end); a suspended job was not requeued.
     */
    @Test
    void aJobThatRanAndIsListedWaitingAgainWasRequeuedAndGoesOn() throws IOException {
        Files.writeString(dir.resolve("r.requeued.1.status"), "finished 143 TERM 1763800010.5\n");
        Files.writeString(dir.resolve("r.held.1.status"), "finished 143 TERM 1763800011.5\n");
        Files.writeString(dir.resolve("r.again.1.status"), "finished 143 TERM 1763800010.5\n");
        Files.writeString(dir.resolve("r.suspended.1.status"), "started 1763800000.25\n");
        Map<String, JobStatus> s = answer(
                List.of(
                        watch("r.requeued.1", "7"),
                        watch("r.held.1", "9"),
                        watch("r.again.1", "8"),
                        watch("r.suspended.1", "11"),
                        watch("r.fresh.1", "12")),
                "job 7|r.requeued.1|PENDING",
                "job 9|r.held.1|REQUEUE_HOLD",
                "job 8|r.again.1|RUNNING",
                "job 11|r.suspended.1|SUSPENDED",
                "job 12|r.fresh.1|PENDING",
                "query ok",
                "accounting ok");
        JobStatus requeued = s.get("r.requeued.1");
        assertThat(requeued.event()).isEqualTo(JobStatus.Event.REQUEUED);
        assertThat(requeued.schedulerJobId()).isEqualTo("7");
        assertThat(requeued.at().toEpochMilli()).isEqualTo(1763800010500L);
        assertThat(requeued.detail())
                .isEqualTo("requeued: stopped by TERM, then queued again under the same id 7 (PENDING), by an"
                        + " operator's requeue, a preemption or a node failure");
        assertThat(requeued.end()).isNull();
        assertThat(s.get("r.held.1").event()).isEqualTo(JobStatus.Event.REQUEUED);
        assertThat(s.get("r.held.1").detail()).contains("(REQUEUE_HOLD)");
        assertThat(s.get("r.again.1").event()).isEqualTo(JobStatus.Event.STARTED); // running again
        assertThat(s.get("r.suspended.1").event()).isEqualTo(JobStatus.Event.STARTED); // stopped, not requeued
        assertThat(s).as("never ran: just waiting").doesNotContainKey("r.fresh.1");
    }

    /**
     * NODE_FAIL can't be produced on the test machine's one node while other tests run jobs on it,
     * so its reading is checked here: sacct's NODE_FAIL (the wrapper died with its node, so its
     * status file still says started) is a failure with its node named, for the policy's NODE_FAIL
     * rule (RecoveryPolicyTest: requeue, same resources, a bounded count).
     */
    @Test
    void aNodeFailureIsAFailureNamingItsNode() throws IOException {
        Files.writeString(dir.resolve("r.node.1.status"), "started 1763800000.25\n");
        Map<String, JobStatus> s = answer(
                List.of(watch("r.node.1", "13")),
                "job 13|r.node.1|NODE_FAIL",
                "query ok",
                "acct 13|NODE_FAIL|1:0|00:00:30|00:10:00|512M||vm",
                "acct 13.batch|CANCELLED|0:15|00:00:30|||2048K|vm",
                "accounting ok");
        JobStatus node = s.get("r.node.1");
        assertThat(node.event()).isEqualTo(JobStatus.Event.FINISHED);
        assertThat(node.exitCode()).as("a failure").isNotEqualTo(0);
        assertThat(node.end().reason()).isEqualTo(JobEnd.Reason.NODE_FAIL);
        assertThat(node.detail()).isEqualTo("its node vm failed");
        assertThat(node.end().node()).isEqualTo("vm");
        assertThat(node.end().elapsedSeconds()).isEqualTo(30L);
    }

    @Test
    void withoutAnsweringAccountingOnlyWhatOthersExplainIsConcluded() throws IOException {
        Files.writeString(dir.resolve("r.signalled.1.status"), "finished 143 TERM 1763800010.5\n");
        Files.writeString(dir.resolve("r.failed.1.status"), "finished 2 1763800010.5\n");
        List<WatchedJob> watched = List.of(
                watch("r.signalled.1", "7"),
                watch("r.failed.1", "8"),
                watch("r.vanished.1", "9"),
                watch("r.killed.1", "10"),
                watch("r.done.1", "11"));
        String down = "accounting failed: sacct: error: Problem talking to the database: Connection refused";
        PollAnswer answer = PollAnswer.parse(
                new SlurmBatchSystem(),
                String.join("\n", "job 10|r.killed.1|FAILED", "job 11|r.done.1|COMPLETED", "query ok", down) + "\n"
                        + ShellFunctions.run(new SlurmBatchSystem(), statusFiles(watched)));
        assertThat(answer.accountingError()).contains("Connection refused");
        Map<String, JobStatus> s = byJob(answer.statuses(new SlurmBatchSystem(), watched));
        assertThat(s.get("r.signalled.1").event()).isEqualTo(JobStatus.Event.STARTED); // which signal? wait
        assertThat(s.get("r.failed.1").end().reason()).isEqualTo(JobEnd.Reason.EXIT_CODE);
        assertThat(s).doesNotContainKey("r.vanished.1"); // never lost for want of an accounting answer
        assertThat(s).doesNotContainKey("r.killed.1"); // out of memory? only the accounting can say
        assertThat(s.get("r.done.1").end().reason()).isEqualTo(JobEnd.Reason.COMPLETED);

        Map<String, JobStatus> off =
                answer(watched, "query ok", "accounting off: Slurm accounting storage is disabled");
        assertThat(off.get("r.signalled.1").end().reason()).isEqualTo(JobEnd.Reason.SIGNALLED);
        assertThat(off.get("r.signalled.1").detail()).startsWith("ended by signal TERM with exit code 143");
        assertThat(off.get("r.vanished.1").event()).isEqualTo(JobStatus.Event.LOST);
        assertThat(off.get("r.vanished.1").detail()).contains("keeps no accounting");

        Map<String, JobStatus> noRow = answer(watched, "job 10|r.killed.1|FAILED", "query ok", "accounting ok");
        assertThat(noRow.get("r.vanished.1").event()).isEqualTo(JobStatus.Event.LOST);
        assertThat(noRow).as("its accounting row comes soon").doesNotContainKey("r.killed.1");

        // slurmdbd back after an outage has the job's start but not yet its end, which slurmctld sends later
        Map<String, JobStatus> stale = answer(
                watched,
                "job 10|r.killed.1|FAILED",
                "query ok",
                "acct 10|RUNNING|0:0|00:00:37|00:10:00|100M||vm",
                "acct 10.batch|RUNNING|0:0|00:00:37|||vm",
                "accounting ok");
        assertThat(stale).as("a row that says it runs is no row yet").doesNotContainKey("r.killed.1");
        PollAnswer late = PollAnswer.parse(
                new SlurmBatchSystem(),
                String.join(
                                "\n",
                                "job 10|r.killed.1|FAILED",
                                "query ok",
                                "acct 10|RUNNING|0:0|00:00:37|00:10:00|100M||vm",
                                "accounting ok")
                        + "\n");
        JobStatus given = byJob(late.statuses(new SlurmBatchSystem(), List.of(watch("r.killed.1", "10")), id -> false))
                .get("r.killed.1");
        assertThat(given.event())
                .as("waited for long enough, the queue's word is taken")
                .isEqualTo(JobStatus.Event.FINISHED);
        assertThat(given.end().state()).isEqualTo("FAILED");
    }

    @Test
    void sacctsFieldsAreRead() {
        assertThat(SlurmAccounting.seconds("1-02:03:04")).isEqualTo(93784L);
        assertThat(SlurmAccounting.seconds("05:06")).isEqualTo(306L);
        assertThat(SlurmAccounting.seconds("UNLIMITED")).isNull();
        assertThat(SlurmAccounting.bytes("1.5G")).isEqualTo(1610612736L);
        assertThat(SlurmAccounting.bytes("4000Mn")).isEqualTo(4000L * 1024 * 1024);
        assertThat(SlurmAccounting.bytes("0")).isZero();
        assertThat(SlurmAccounting.bytes("")).isNull();
        // slurmdbd's ReqMem before the job's record is complete: the kill and MaxRSS still say it
        assertThat(SlurmAccounting.parse(List.of(
                                "9|FAILED|0:9|00:00:01|00:10:00|16?||vm",
                                "9.batch|CANCELLED by 0|0:9|00:00:01|||322116K|vm"))
                        .get("9")
                        .memoryAsked())
                .isNull();
    }

    @Test
    void localProcesses() throws IOException {
        Map<String, JobStatus> s = poll(
                new LocalBatchSystem(), "4242|r.L.1|RUNNING", List.of(watch("r.L.1", "4242"), watch("r.L.2", "4243")));
        assertThat(s.get("r.L.1").event()).isEqualTo(JobStatus.Event.STARTED);
        assertThat(s.get("r.L.1").schedulerJobId()).isEqualTo("4242");
        assertThat(s.get("r.L.2").event()).isEqualTo(JobStatus.Event.LOST);
    }

    private WatchedJob watch(String name, String id) {
        return new WatchedJob(name, id, dir.toString());
    }

    /** The batch system's poll answered {@code listed}: the answer and the status files through sh. */
    private Map<String, JobStatus> poll(BatchSystem system, String listed, List<WatchedJob> watched)
            throws IOException {
        String stdout = ShellFunctions.run(
                system,
                ShellQuote.command(List.of("ax_query", "printf", "%s\\n", listed)) + "\n" + statusFiles(watched));
        PollAnswer answer = PollAnswer.parse(system, stdout);
        assertThat(answer.answered()).isTrue();
        return byJob(answer.statuses(system, watched));
    }

    /** A poll that printed these lines, then the watched jobs' status files. */
    private Map<String, JobStatus> answer(List<WatchedJob> watched, String... lines) throws IOException {
        String stdout =
                String.join("\n", lines) + "\n" + ShellFunctions.run(new SlurmBatchSystem(), statusFiles(watched));
        return byJob(PollAnswer.parse(new SlurmBatchSystem(), stdout).statuses(new SlurmBatchSystem(), watched));
    }

    private static String statusFiles(List<WatchedJob> watched) {
        return "ax_status_files <<'EOF'\n"
                + watched.stream().map(WatchedJob::statusFile).collect(Collectors.joining("\n")) + "\nEOF";
    }

    private static Map<String, JobStatus> byJob(List<JobStatus> statuses) {
        return statuses.stream().collect(Collectors.toMap(JobStatus::job, Function.identity()));
    }

    private static Map.Entry<String, Expected> waiting(String state) {
        return Map.entry(state, new Expected(null, null, null));
    }

    private static Map.Entry<String, Expected> started(String state) {
        return Map.entry(state, new Expected(JobStatus.Event.STARTED, null, null));
    }

    private static Map.Entry<String, Expected> ended(
            String state, JobStatus.Event event, Integer exitCode, JobEnd.Reason reason) {
        return Map.entry(state, new Expected(event, exitCode, reason));
    }
}
