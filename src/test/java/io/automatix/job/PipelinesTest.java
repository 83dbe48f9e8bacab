package io.automatix.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Pipeline files are re-read when they change; a bad edit is rejected and the version before stays. */
class PipelinesTest {

    @Test
    void aBadEditIsRejectedWithFileAndLineAndTheVersionBeforeStaysInUse() throws Exception {
        Path dir = Files.createTempDirectory("pipelines");
        Path file = dir.resolve("p.yaml");
        Files.writeString(file, "steps:\n  A: {template: a.sh.ftl}\n");
        Pipelines pipelines = new Pipelines(dir, new PipelineParser(Set.of("a.sh.ftl")::contains));
        assertThat(pipelines.get("p")).isPresent();

        Files.writeString(file, "steps:\n  A: {template: a.sh.ftl}\n  B: {template: a.sh.ftl, after: [Z]}\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        Thread.sleep(1100); // rescans at most once a second
        assertThat(pipelines.errors()).containsEntry(dir.getFileName() + "/p.yaml",
                dir.getFileName() + "/p.yaml:3: steps.B.after: unknown step 'Z'");
        assertThat(pipelines.get("p").orElseThrow().steps()).extracting(Step::name).containsExactly("A");

        Files.writeString(dir.resolve("q.yaml"), "steps: [A]\n");
        Thread.sleep(1100);
        assertThat(pipelines.get("q")).isEmpty();
        assertThat(pipelines.errors().get(dir.getFileName() + "/q.yaml")).endsWith("q.yaml:1: steps: expected a mapping");
    }
}
