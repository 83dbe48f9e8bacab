package io.automatix.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.automatix.cluster.Cluster;
import io.automatix.cluster.ScratchLayout;
import io.automatix.scheduler.JobSubmission;
import io.automatix.scheduler.SiteSettings;
import io.automatix.testing.TestServices;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How a workflow step's claimed jobs become one submission: a command or a template, alone or as an array. */
class StepJobTest {

    private static final Cluster CLUSTER = new Cluster(
            "hpc",
            "slurm",
            null,
            Path.of("/scratch"),
            100,
            null,
            null,
            ScratchLayout.DEFAULT,
            SiteSettings.none("slurm"));
    private final StepJob kind = new StepJob(new JobTemplates(TestServices.PROJECT.resolve("templates")));

    @Test
    void aCommandsTaskSubmittedOnItsOwnIsToldItsValueAndAnArrayItsValues() {
        ClaimedJob alone = job("wf-1.fan.1_2", List.of("sbatch", "fan.sh"), null, null, "c", 2);
        JobSubmission one = kind.submission(CLUSTER, List.of(alone), "", false);
        assertThat(one.name()).isEqualTo("wf-1.fan.1_2");
        assertThat(one.arraySize()).isZero();
        assertThat(one.command().argv()).containsExactly("sbatch", "fan.sh");
        assertThat(one.command().workdir()).isEqualTo("/home/u");
        assertThat(one.command().environment())
                .containsEntry("AUTOMATIX_STEP", "fan")
                .containsEntry("AUTOMATIX_PARAMETER", "c")
                .containsEntry("AUTOMATIX_PARAMETER_INDEX", "2")
                .doesNotContainKey("AUTOMATIX_PARAMETERS");

        ClaimedJob task0 = job("wf-1.fan.1_0", List.of("sbatch", "fan.sh"), null, "wf-1.fan.1", "a", 0);
        ClaimedJob task1 = job("wf-1.fan.1_1", List.of("sbatch", "fan.sh"), null, "wf-1.fan.1", "b", 1);
        JobSubmission array = kind.submission(CLUSTER, List.of(task0, task1), "", true);
        assertThat(array.name()).isEqualTo("wf-1.fan.1");
        assertThat(array.arraySize()).isEqualTo(3);
        assertThat(array.lookUpFirst()).isTrue();
        assertThat(array.command().environment())
                .containsEntry("AUTOMATIX_PARAMETERS", "a b c")
                .doesNotContainKey("AUTOMATIX_PARAMETER");
    }

    @Test
    void aTemplatesJobIsRenderedInTheWrapperWithWhatItsStepStoredAndItsOwnFields() {
        ClaimedJob job = job("wf-7.inventory.1", null, "fulliautomatix/process.sh.ftl", null, null, null);
        JobSubmission submission = kind.submission(CLUSTER, List.of(job), "amqp://broker", false);
        assertThat(submission.command()).isNull();
        assertThat(submission.directory()).isEqualTo("/scratch/sessions/7/steps/inventory.1/jobs");
        assertThat(submission.script())
                .contains("# Automatix job wf-7.inventory.1: step inventory of run s7")
                .contains("processing run s7")
                .contains("amqp://broker");
    }

    private static ClaimedJob job(
            String name, List<String> command, String template, String array, String value, Integer index) {
        String step = name.split("\\.")[1];
        Map<String, Object> model = template == null
                ? Map.of("parameters", List.of("a", "b", "c"))
                : Map.of(
                        "run",
                                Map.of(
                                        "id",
                                        7,
                                        "name",
                                        "s7",
                                        "dir",
                                        "/scratch/sessions/7",
                                        "location",
                                        "",
                                        "metadata",
                                        Map.of()),
                        "step",
                                Map.of(
                                        "name",
                                        step,
                                        "template",
                                        template,
                                        "variables",
                                        Map.of("program", "obelix"),
                                        "resources",
                                        Map.of()),
                        "services", Map.of());
        return new ClaimedJob(
                1,
                ClaimedJob.Kind.STEP,
                0,
                step,
                "hpc",
                name,
                1,
                "standby",
                Duration.ofMinutes(10),
                false,
                null,
                null,
                null,
                null,
                "/scratch/sessions/7/steps/" + step + ".1/jobs",
                command,
                template,
                model,
                Map.of("AUTOMATIX_STEP", step),
                "/home/u",
                array,
                array == null ? 0 : 3,
                value,
                index,
                Map.of());
    }
}
