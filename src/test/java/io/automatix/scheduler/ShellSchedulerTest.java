package io.automatix.scheduler;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How a poll's two sources (the scheduler's query, the status file) become a verdict. */
class ShellSchedulerTest {

    /** SLURM at a site without accounting: what its queue and the status files say. */
    private static final PollAnswer.Ends SLURM = new PollAnswer.Ends(
            new SlurmBatchSystem(), Map.of(), PollAnswer.Accounting.OFF, BatchSystem.Account.UNKNOWN, id -> true);

    private static final WatchedJob JOB = new WatchedJob("r.LF.1", "17", "/s/r/.automatix");

    @Test
    void theStatusFileHoldsTheExitCodeAndWins() {
        JobStatus s = PollAnswer.conclude(
                SLURM, JOB, "finished 3 1763800000.5", List.of(new PollAnswer.Listed("17", "RUNNING")), true);
        assertThat(s.event()).isEqualTo(JobStatus.Event.FINISHED);
        assertThat(s.exitCode()).isEqualTo(3);
        assertThat(s.at().toEpochMilli()).isEqualTo(1763800000500L);
    }

    @Test
    void aJobIsLostOnlyWhenTheQuerySucceededAndNothingKnowsIt() {
        assertThat(PollAnswer.conclude(SLURM, JOB, "started 1", null, true).event())
                .isEqualTo(JobStatus.Event.LOST);
        assertThat(PollAnswer.conclude(SLURM, JOB, null, null, true).event()).isEqualTo(JobStatus.Event.LOST);
        assertThat(PollAnswer.conclude(SLURM, JOB, "started 1", null, false).event())
                .isEqualTo(JobStatus.Event.STARTED);
        assertThat(PollAnswer.conclude(SLURM, JOB, null, null, false)).isNull();
    }

    @Test
    void theSchedulersStateSpeaksWhenTheStatusFileDoesNot() {
        assertThat(PollAnswer.conclude(SLURM, JOB, null, List.of(new PollAnswer.Listed("17", "PENDING")), true))
                .isNull();
        assertThat(PollAnswer.conclude(SLURM, JOB, null, List.of(new PollAnswer.Listed("17", "RUNNING")), true)
                        .event())
                .isEqualTo(JobStatus.Event.STARTED);
        JobStatus timeout =
                PollAnswer.conclude(SLURM, JOB, "started 1", List.of(new PollAnswer.Listed("17", "TIMEOUT")), true);
        assertThat(timeout.event()).isEqualTo(JobStatus.Event.FINISHED);
        assertThat(timeout.exitCode()).isNull();
        assertThat(timeout.detail()).isEqualTo("walltime exceeded");
        assertThat(timeout.end().reason()).isEqualTo(JobEnd.Reason.TIMEOUT);
        assertThat(PollAnswer.conclude(SLURM, JOB, null, List.of(new PollAnswer.Listed("17", "CANCELLED")), true)
                        .event())
                .isEqualTo(JobStatus.Event.LOST);
        // an older job of the same name does not hide the one we submitted
        assertThat(PollAnswer.conclude(
                                SLURM,
                                JOB,
                                null,
                                List.of(
                                        new PollAnswer.Listed("17", "RUNNING"),
                                        new PollAnswer.Listed("9", "COMPLETED")),
                                true)
                        .event())
                .isEqualTo(JobStatus.Event.STARTED);
    }

    @Test
    void walltimesAreWrittenAsSlurmReadsThem() {
        assertThat(SlurmBatchSystem.walltime(java.time.Duration.ofMinutes(90))).isEqualTo("0-01:30:00");
        assertThat(SlurmBatchSystem.walltime(java.time.Duration.ofSeconds(61))).isEqualTo("0-00:02:00");
        assertThat(SlurmBatchSystem.walltime(java.time.Duration.ofHours(49))).isEqualTo("2-01:00:00");
    }
}
