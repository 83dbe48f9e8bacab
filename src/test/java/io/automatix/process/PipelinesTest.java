package io.automatix.process;

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
        assertThat(pipelines.errors())
                .containsEntry(
                        dir.getFileName() + "/p.yaml",
                        dir.getFileName() + "/p.yaml:3: steps.B.after: unknown step 'Z'");
        assertThat(pipelines.get("p").orElseThrow().steps())
                .extracting(Step::name)
                .containsExactly("A");

        Files.writeString(dir.resolve("q.yaml"), "steps: [A]\n");
        Thread.sleep(1100);
        assertThat(pipelines.get("q")).isEmpty();
        assertThat(pipelines.errors().get(dir.getFileName() + "/q.yaml"))
                .endsWith("q.yaml:1: steps: expected a mapping");
    }

    @Test
    void aFileThatIsNotUtf8IsRejectedAtTheLineOfItsFirstBadByte() {
        byte[] latin1 =
                "steps:\n  A:\n    template: caf\u00e9.sh.ftl\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Pipelines.utf8("pipelines/p.yaml", latin1))
                .isInstanceOf(PipelineError.class)
                .hasMessage("pipelines/p.yaml:3: not UTF-8 (at byte offset 29)");
        assertThat(Pipelines.utf8(
                        "pipelines/p.yaml", "steps: {} # \u00e9\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isEqualTo("steps: {} # \u00e9\n");
    }
}
