package io.automatix.cluster;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import io.automatix.scheduler.BatchScheduler;
import io.automatix.scheduler.BatchSystems;
import io.automatix.scheduler.WatchedJob;
import io.automatix.ssh.CommandResult;
import io.automatix.ssh.Shell;
import io.automatix.supervise.Outgoing;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A SLURM scheduler's accounting outage as its polls find it (the poll scripts' answers played by
 * a shell that prints them): it begins with the first poll whose sacct failed, keeps its start
 * while it lasts, ends with the first that answered, and is alerted once.
 */
class AccountingAlertsTest {

    private static final String FAILED =
            "query ok\naccounting failed: sacct: error: Problem talking to the database:" + " Connection refused\n";
    private static final String OK = "query ok\naccounting ok\n";
    private static final String OFF = "query ok\naccounting off: Slurm accounting storage is disabled\n";
    private static final String NOTHING_ASKED = "query ok\n";

    @Test
    void oneAlertPerOutageAndNoneForASiteWithoutAccounting() throws Exception {
        Answers answers = new Answers();
        BatchScheduler slurm = BatchSystems.scheduler("slurm", answers, Duration.ofSeconds(5));
        AccountingAlerts alerts = new AccountingAlerts(Map.of("hpc", slurm));
        List<WatchedJob> jobs = List.of(new WatchedJob("r.a.1", "42", "/scratch/r/.automatix"));

        poll(slurm, answers, OK);
        assertThat(slurm.accountingOutage()).isEmpty();
        assertThat(alerts.watch()).isEmpty();

        poll(slurm, answers, FAILED);
        var since = slurm.accountingOutage().orElseThrow().since();
        assertThat(slurm.accountingOutage().get().error()).contains("Connection refused");
        List<Outgoing> first = alerts.watch();
        assertThat(first).hasSize(1);
        assertThat(first.get(0).exchange()).isEqualTo(Outgoing.ALERTS);
        assertThat(first.get(0).body())
                .contains("\"type\":\"accounting-outage\"", "\"cluster\":\"hpc\"", "\"since\":\"" + since + "\"")
                .contains("slurmdbd");

        poll(slurm, answers, NOTHING_ASKED); // a poll that asked sacct nothing says nothing of it
        poll(slurm, answers, FAILED);
        assertThat(slurm.accountingOutage().orElseThrow().since()).isEqualTo(since);
        assertThat(alerts.watch()).as("the same outage is told once").isEmpty();

        poll(slurm, answers, OK);
        assertThat(slurm.accountingOutage()).isEmpty();
        assertThat(alerts.watch()).isEmpty();

        Thread.sleep(5); // the next outage begins later
        poll(slurm, answers, FAILED);
        assertThat(alerts.watch()).as("a new outage is told again").hasSize(1);

        poll(slurm, answers, OFF);
        assertThat(slurm.accountingOutage())
                .as("no accounting at all is not an outage")
                .isEmpty();
        assertThat(alerts.watch()).isEmpty();
    }

    private static void poll(BatchScheduler slurm, Answers answers, String stdout) throws Exception {
        answers.next.add(stdout);
        slurm.poll(List.of(new WatchedJob("r.a.1", "42", "/scratch/r/.automatix")));
    }

    /** Prints the poll answers it was given, one per command. */
    private static final class Answers implements Shell {
        final Deque<String> next = new ArrayDeque<>();

        @Override
        public CommandResult run(
                List<String> argv, byte[] stdin, Duration timeout, java.util.function.Consumer<String> lines) {
            return new CommandResult(0, next.remove(), "", false);
        }

        @Override
        public String describe() {
            return "test shell";
        }
    }
}
