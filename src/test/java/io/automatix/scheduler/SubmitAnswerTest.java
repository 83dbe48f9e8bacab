package io.automatix.scheduler;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.automatix.ssh.ShellQuote;
import org.junit.jupiter.api.Test;

import static io.automatix.scheduler.SubmitResult.Outcome.FOUND;
import static io.automatix.scheduler.SubmitResult.Outcome.REFUSED;
import static io.automatix.scheduler.SubmitResult.Outcome.REJECTED;
import static io.automatix.scheduler.SubmitResult.Outcome.SUBMITTED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each batch system's submit answers, as recorded from the real commands (sbatch 22.05 here), put
 * through the real shell functions that report them and the parser that reads them: submitted,
 * found, refused for now (back-pressure), rejected for good, and garbage, which answers nothing.
 */
class SubmitAnswerTest {

    /** A recorded answer: the shell call that reports it, and what the router must make of it. */
    private record Row(String call, SubmitResult.Outcome outcome, String jobId, String message) {}

    /** The submit command printed {@code output} and exited with {@code status}. */
    private static Row answer(int status, String output, SubmitResult.Outcome outcome, String jobIdOrMessage) {
        return row(List.of("ax_answer", "NAME", String.valueOf(status), output), outcome, jobIdOrMessage);
    }

    private static Row row(List<String> call, SubmitResult.Outcome outcome, String jobIdOrMessage) {
        boolean id = outcome == SUBMITTED || outcome == FOUND;
        return new Row(ShellQuote.command(call), outcome, id ? jobIdOrMessage : null, id ? null : jobIdOrMessage);
    }

    @Test
    void slurm() throws IOException {
        String qos = "sbatch: error: QOSMaxSubmitJobPerUserLimit\n"
                + "sbatch: error: Batch job submission failed: Job violates accounting/QOS policy"
                + " (job submit limit, user's size and/or time limits)";
        // as sbatch 22.05 said them here for --qos=tiny --time=5 (MaxWall 1 min), and below for
        // --account=nope, --partition=nope, --qos=nope, and with a PATH that lacks sbatch
        String qosMaxWall = "sbatch: error: QOSMaxWallDurationPerJobLimit\n"
                + "sbatch: error: Batch job submission failed: Job violates accounting/QOS policy"
                + " (job submit limit, user's size and/or time limits)";
        check(
                new SlurmBatchSystem(),
                List.of(
                        answer(0, "4", SUBMITTED, "4"),
                        answer(0, "4;brown", SUBMITTED, "4"),
                        answer(
                                0,
                                "sbatch: Warning: can't run 1 processes on 2 nodes, setting nnodes to 1\n4",
                                SUBMITTED,
                                "4"),
                        // a step's own sbatch, without --parsable
                        answer(0, "Submitted batch job 5", SUBMITTED, "5"),
                        answer(0, "Submitted batch job 5 on cluster brown", SUBMITTED, "5"),
                        row(List.of("ax_found", "NAME", "17"), FOUND, "17"),
                        row(List.of("ax_found", "NAME", "-"), FOUND, null),
                        answer(
                                1,
                                "sbatch: error: Batch job submission failed: Socket timed out on send/recv operation",
                                REFUSED,
                                "sbatch: error: Batch job submission failed: Socket timed out on send/recv operation"),
                        answer(1, qos, REFUSED, qos.replace('\n', ' ')),
                        // a walltime over a QOS's MaxWall (DenyOnLimit): the limit may be raised, so
                        // the job waits (and becomes a stuck incident if it never is)
                        answer(1, qosMaxWall, REFUSED, qosMaxWall.replace('\n', ' ')),
                        answer(
                                1,
                                "sbatch: error: Batch job submission failed: Unable to contact slurm controller (connect failure)",
                                REFUSED,
                                "sbatch: error: Batch job submission failed: Unable to contact slurm controller (connect failure)"),
                        answer(
                                1,
                                "sbatch: error: Slurm temporarily unable to accept job, sleeping and retrying.\n"
                                        + "sbatch: error: Batch job submission failed: Resource temporarily unavailable",
                                REFUSED,
                                "sbatch: error: Slurm temporarily unable to accept job, sleeping and retrying."
                                        + " sbatch: error: Batch job submission failed: Resource temporarily unavailable"),
                        row(
                                List.of(
                                        "ax_refused",
                                        "NAME",
                                        "lookup failed: squeue: error: slurm_load_jobs error: "
                                                + "Unable to contact slurm controller (connect failure)\n"),
                                REFUSED,
                                "lookup failed: squeue: error: slurm_load_jobs error: "
                                        + "Unable to contact slurm controller (connect failure)"),
                        answer(
                                1,
                                "sbatch: error: invalid partition specified: nope\n"
                                        + "sbatch: error: Batch job submission failed: Invalid partition name specified",
                                REJECTED,
                                "sbatch: error: invalid partition specified: nope"
                                        + " sbatch: error: Batch job submission failed: Invalid partition name specified"),
                        answer(
                                1,
                                "sbatch: error: Batch job submission failed: Requested time limit is invalid"
                                        + " (missing or exceeds some limit)",
                                REJECTED,
                                "sbatch: error: Batch job submission failed: Requested time limit is invalid"
                                        + " (missing or exceeds some limit)"),
                        answer(
                                255,
                                "sbatch: error: Invalid --time specification",
                                REJECTED,
                                "sbatch: error: Invalid --time specification"),
                        answer(
                                255,
                                "sbatch: unrecognized option '--bogus'\nTry \"sbatch --help\" for more information",
                                REJECTED,
                                "sbatch: unrecognized option '--bogus' Try \"sbatch --help\" for more information"),
                        answer(
                                1,
                                "sbatch: error: Unable to open file My_Step",
                                REJECTED,
                                "sbatch: error: Unable to open file My_Step"),
                        answer(127, "sh: 1: sbatch: not found", REJECTED, "sh: 1: sbatch: not found"),
                        answer(
                                127,
                                "bash: line 1: sbatch: command not found",
                                REJECTED,
                                "bash: line 1: sbatch: command not found"),
                        answer(
                                1,
                                "sbatch: error: Batch job submission failed: Invalid account or account/partition"
                                        + " combination specified",
                                REJECTED,
                                "sbatch: error: Batch job submission failed: Invalid account or account/partition"
                                        + " combination specified"),
                        answer(
                                1,
                                "sbatch: error: Batch job submission failed: Invalid qos specification",
                                REJECTED,
                                "sbatch: error: Batch job submission failed: Invalid qos specification"),
                        answer(
                                1,
                                "sbatch: error: Batch script is empty!",
                                REJECTED,
                                "sbatch: error: Batch script is empty!"),
                        answer(
                                1,
                                "sbatch: error: Batch job submission failed: No partition specified or system default partition",
                                REJECTED,
                                "sbatch: error: Batch job submission failed: No partition specified or system default partition"),
                        row(
                                List.of("ax_rejected", "NAME", "cannot write its script in /scratch/r/.automatix"),
                                REJECTED,
                                "cannot write its script in /scratch/r/.automatix"),
                        // a step's command that submitted nothing it says
                        answer(0, "hello", REJECTED, "the command printed no job id: hello"),
                        answer(0, "", REJECTED, "the command printed no job id: ")));
    }

    @Test
    void local() throws IOException {
        check(
                new LocalBatchSystem(),
                List.of(
                        answer(0, "4242", SUBMITTED, "4242"),
                        answer(0, "sh: 1: cannot create r.1.pid: Permission denied\n4242", SUBMITTED, "4242"),
                        row(List.of("ax_found", "NAME", "4242"), FOUND, "4242"),
                        row(List.of("ax_found", "NAME", "-"), FOUND, null),
                        // never permanent: the directory may come back
                        answer(2, "sh: 1: cd: can't cd to /gone", REFUSED, "sh: 1: cd: can't cd to /gone"),
                        row(
                                List.of("ax_rejected", "NAME", "cannot use the directory /gone"),
                                REJECTED,
                                "cannot use the directory /gone"),
                        answer(0, "", REJECTED, "the command printed no job id: ")));
    }

    @Test
    void garbageAnswersNothing() {
        for (BatchSystem system : BatchSystems.all()) {
            assertThat(SubmitAnswer.parse(
                            system,
                            String.join(
                                    "\n",
                                    "",
                                    "submitted",
                                    "sbatch: error: Batch job submission failed: Invalid partition name specified",
                                    "answer r.1 4", // cut short before its exit status
                                    "found r.2",
                                    "Submitted batch job 7")))
                    .as(system.name())
                    .isEmpty();
        }
    }

    /** Each row's call under a name of its own, in one shell; every row answered as recorded. */
    private static void check(BatchSystem system, List<Row> rows) throws IOException {
        List<String> calls = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            calls.add(rows.get(i).call().replaceFirst(" NAME ", " r" + i + ".step.1 "));
        }
        Map<String, SubmitResult> results =
                SubmitAnswer.parse(system, ShellFunctions.run(system, String.join("\n", calls))).stream()
                        .collect(Collectors.toMap(SubmitResult::name, Function.identity()));
        assertThat(results).hasSize(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            SubmitResult result = results.get("r" + i + ".step.1");
            assertThat(result).as(row.call()).isNotNull();
            assertThat(result.outcome()).as(row.call()).isEqualTo(row.outcome());
            assertThat(result.jobId()).as(row.call()).isEqualTo(row.jobId());
            assertThat(result.message()).as(row.call()).isEqualTo(row.message());
            assertThat(result.at() != null)
                    .as(row.call() + ": when it was accepted")
                    .isEqualTo(row.outcome() == SUBMITTED);
        }
    }
}
