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
 * Each batch system's poll answer, as recorded (squeue -h -r -t all --me -o '%i|%j|%T'), put
 * through the real shell functions and the parser: its state table, array tasks, older jobs of the
 * same name, status files, and a query that failed.
 */
class PollAnswerTest {

    @TempDir
    Path dir;

    /** What a watched job is concluded to be (no event: still waiting). */
    private record Expected(JobStatus.Event event, Integer exitCode, String detail) {}

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
                ended("COMPLETED", JobStatus.Event.FINISHED, 0),
                ended("FAILED", JobStatus.Event.FINISHED, null),
                ended("TIMEOUT", JobStatus.Event.FINISHED, null),
                ended("OUT_OF_MEMORY", JobStatus.Event.FINISHED, null),
                ended("NODE_FAIL", JobStatus.Event.FINISHED, null),
                ended("BOOT_FAIL", JobStatus.Event.FINISHED, null),
                ended("DEADLINE", JobStatus.Event.FINISHED, null),
                ended("SPECIAL_EXIT", JobStatus.Event.FINISHED, null),
                ended("CANCELLED", JobStatus.Event.LOST, null),
                ended("PREEMPTED", JobStatus.Event.LOST, null),
                ended("REVOKED", JobStatus.Event.LOST, null));
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
            assertThat(s.detail()).as(state).isEqualTo(e.detail());
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
        assertThat(s.get("r.done.1").detail()).isEqualTo("status file");
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
                new SlurmBatchSystem().states(),
                List.of(watch("r.ran.1", "1"), watch("r.ended.1", "2"), watch("r.x.1", "3"))));
        assertThat(s.get("r.ran.1").event()).isEqualTo(JobStatus.Event.STARTED);
        assertThat(s.get("r.ended.1").event()).isEqualTo(JobStatus.Event.FINISHED);
        assertThat(s).hasSize(2); // r.x.1 is not lost: nobody could say

        String nothing = ShellFunctions.run(
                new SlurmBatchSystem(), ShellQuote.command(List.of("ax_query", "sh", "-c", "exit 1")));
        assertThat(PollAnswer.parse(new SlurmBatchSystem(), nothing).answered()).isFalse();
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
        return byJob(answer.statuses(system.states(), watched));
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

    private static Map.Entry<String, Expected> ended(String state, JobStatus.Event event, Integer exitCode) {
        return Map.entry(state, new Expected(event, exitCode, "scheduler: " + state));
    }
}
