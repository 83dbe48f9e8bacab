package io.automatix.scheduler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.automatix.ssh.LocalShell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * The local batch system end to end, with real processes: a script and a command are started, a
 * second submission finds them instead of starting them again, their status files end them, and a
 * cancelled job is lost.
 */
class LocalBatchSystemTest {

    @TempDir
    Path dir;

    private final BatchScheduler local = BatchSystems.scheduler("local", new LocalShell(), Duration.ofSeconds(30));

    @Test
    void jobsRunAreFoundAgainAndEnd() throws IOException {
        String jobDir = dir.resolve("r/.automatix").toString();
        JobSubmission script = new JobSubmission(
                "r.S.1",
                jobDir,
                "#!/bin/sh\nprintf 'finished 0 %s\\n' \"$(date +%s.%N)\" > r.S.1.status\n",
                null,
                Duration.ofMinutes(1),
                Map.of(),
                false);
        JobSubmission command = new JobSubmission(
                "r.C.1",
                jobDir,
                null,
                null,
                Duration.ofMinutes(1),
                Map.of(),
                false,
                new JobSubmission.JobCommand(
                        List.of("sh", "-c", "test \"$WHO\" = 'it'\\''s me' && pwd > where && exit 3"),
                        dir.toString(),
                        Map.of("WHO", "it's me")),
                0);
        List<SubmitResult> results = local.submit(List.of(script, command));
        assertThat(results).extracting(SubmitResult::outcome).containsOnly(SubmitResult.Outcome.SUBMITTED);
        assertThat(results).allSatisfy(r -> assertThat(r.jobId()).matches("[0-9]+"));

        List<WatchedJob> watched = results.stream()
                .map(r -> new WatchedJob(r.name(), r.jobId(), jobDir))
                .toList();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> local.poll(watched).stream().allMatch(s -> s.event() == JobStatus.Event.FINISHED));
        List<JobStatus> ended = local.poll(watched);
        assertThat(ended)
                .extracting(JobStatus::job, JobStatus::exitCode)
                .containsExactlyInAnyOrder(tuple("r.S.1", 0), tuple("r.C.1", 3));
        assertThat(Files.readString(dir.resolve("where")).strip()).isEqualTo(dir.toString());

        List<SubmitResult> again = local.submit(List.of(lookUpFirst(script), lookUpFirst(command)));
        assertThat(again).extracting(SubmitResult::outcome).containsOnly(SubmitResult.Outcome.FOUND);
        assertThat(again)
                .extracting(SubmitResult::jobId)
                .containsExactlyInAnyOrderElementsOf(
                        results.stream().map(SubmitResult::jobId).toList());
    }

    @Test
    void aCancelledJobIsLost() throws IOException {
        String jobDir = dir.toString();
        SubmitResult started = local.submit(List.of(new JobSubmission(
                        "r.Z.1", jobDir, "#!/bin/sh\nsleep 300\n", null, Duration.ofMinutes(10), Map.of(), false)))
                .get(0);
        WatchedJob job = new WatchedJob("r.Z.1", started.jobId(), jobDir);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> local.poll(List.of(job)).stream().anyMatch(s -> s.event() == JobStatus.Event.STARTED));
        local.cancel(List.of(job));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> local.poll(List.of(job)).stream().anyMatch(s -> s.event() == JobStatus.Event.LOST));
        local.cancel(List.of(job)); // already gone: not an error
    }

    private static JobSubmission lookUpFirst(JobSubmission j) {
        return new JobSubmission(
                j.name(), j.directory(), j.script(), j.partition(), j.walltime(), j.resources(), true, j.command(), 0);
    }
}
