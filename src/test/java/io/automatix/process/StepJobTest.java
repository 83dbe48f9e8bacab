package io.automatix.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.automatix.amqp.PushTarget;
import io.automatix.cluster.Cluster;
import io.automatix.cluster.ScratchLayout;
import io.automatix.scheduler.JobSubmission;
import io.automatix.scheduler.SiteSettings;
import io.automatix.testing.TestServices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
            null,
            ScratchLayout.DEFAULT,
            SiteSettings.none("slurm"));
    private final StepJob kind = new StepJob(new JobTemplates(TestServices.PROJECT.resolve("templates")));

    @Test
    void aCommandsTaskSubmittedOnItsOwnIsToldItsValueAndAnArrayItsValues() {
        ClaimedJob alone = job("wf-1.fan.1_2", List.of("sbatch", "fan.sh"), null, null, "c", 2);
        JobSubmission one = kind.submission(CLUSTER, List.of(alone), Map.of(), false);
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
        JobSubmission array = kind.submission(CLUSTER, List.of(task0, task1), Map.of(), true);
        assertThat(array.name()).isEqualTo("wf-1.fan.1");
        assertThat(array.arraySize()).isEqualTo(3);
        assertThat(array.lookUpFirst()).isTrue();
        assertThat(array.command().environment())
                .containsEntry("AUTOMATIX_PARAMETERS", "a b c")
                .doesNotContainKey("AUTOMATIX_PARAMETER");
    }

    @Test
    void theSecondArrayOfASplitCommandStepHasItsOwnValuesItsOffsetAndTheThrottle() {
        Map<String, Object> model = Map.of("parameters", List.of("a", "b", "c", "d", "e"));
        // values d and e (indices 3 and 4) are tasks 0 and 1 of the step's second array of at most 3
        List<ClaimedJob> tasks = List.of(
                claimed("wf-1.fan.1.c1_0", List.of("sbatch", "fan.sh"), null, model, "wf-1.fan.1.c1", 2, 0, 4, "d", 3),
                claimed("wf-1.fan.1.c1_1", List.of("sbatch", "fan.sh"), null, model, "wf-1.fan.1.c1", 2, 1, 4, "e", 4));
        JobSubmission array = kind.submission(CLUSTER, tasks, Map.of(), false);
        assertThat(array.name()).isEqualTo("wf-1.fan.1.c1");
        assertThat(array.arraySize()).isEqualTo(2);
        assertThat(array.arrayThrottle()).isEqualTo(4);
        assertThat(array.command().environment())
                .containsEntry("AUTOMATIX_PARAMETERS", "d e")
                .containsEntry("AUTOMATIX_PARAMETER_OFFSET", "3");
    }

    @Test
    void theWrapperOfASplitTemplateStepsArrayGivesEachTaskTheValueAtItsArraysOffset(@TempDir Path dir)
            throws Exception {
        Path templates = dir.resolve("templates");
        Files.createDirectories(templates.resolve("test"));
        Files.copy(TestServices.PROJECT.resolve("templates/job.sh.ftl"), templates.resolve("job.sh.ftl"));
        Files.writeString(
                templates.resolve("test/value.sh.ftl"),
                "echo \"$AUTOMATIX_PARAMETER_INDEX $AUTOMATIX_PARAMETER\" > \"$OUT\"\n");
        StepJob kind = new StepJob(new JobTemplates(templates));
        Map<String, Object> model = new HashMap<>(templateModel("value", "test/value.sh.ftl"));
        model.put("parameters", List.of("a", "b", "c", "d", "e"));
        List<ClaimedJob> tasks = List.of(
                claimed("wf-1.value.1.c1_0", null, "test/value.sh.ftl", model, "wf-1.value.1.c1", 2, 0, 0, "d", 3),
                claimed("wf-1.value.1.c1_1", null, "test/value.sh.ftl", model, "wf-1.value.1.c1", 2, 1, 0, "e", 4));
        JobSubmission array = kind.submission(CLUSTER, tasks, Map.of(), false);
        assertThat(array.arrayThrottle()).isZero();
        Path jobs = Files.createDirectories(dir.resolve("run/jobs"));
        Path script = Files.writeString(jobs.resolve("wf-1.value.1.c1.sh"), array.script());
        for (String task : List.of("0", "1")) {
            Path out = dir.resolve("out" + task);
            ProcessBuilder p = new ProcessBuilder("sh", script.toString())
                    .directory(jobs.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("log" + task).toFile());
            p.environment().put("SLURM_ARRAY_TASK_ID", task);
            p.environment().put("SLURM_JOB_NAME", "wf-1.value.1.c1");
            p.environment().put("OUT", out.toString());
            assertThat(p.start().waitFor())
                    .as(Files.readString(dir.resolve("log" + task)))
                    .isZero();
            // the status file is the task's row's: <array>_<task>
            assertThat(Files.readString(jobs.resolve("wf-1.value.1.c1_" + task + ".status")))
                    .startsWith("finished 0 ");
        }
        assertThat(Files.readString(dir.resolve("out0"))).isEqualTo("3 d\n");
        assertThat(Files.readString(dir.resolve("out1"))).isEqualTo("4 e\n");
    }

    @Test
    void aTemplatesJobIsRenderedInTheWrapperWithWhatItsStepStoredAndItsOwnFields() {
        ClaimedJob job = job("wf-7.inventory.1", null, "fulliautomatix/process.sh.ftl", null, null, null);
        JobSubmission submission = kind.submission(
                CLUSTER,
                List.of(job),
                PushTarget.parse("amqp://automatix-status:s3cret@broker:5672/%2F")
                        .model("wf-7.inventory.1"),
                false);
        assertThat(submission.command()).isNull();
        assertThat(submission.directory()).isEqualTo("/scratch/sessions/7/steps/inventory.1/jobs");
        assertThat(submission.script())
                .contains("# Automatix job wf-7.inventory.1: step inventory of run s7")
                .contains("printf 'processing run %s (%s) on %s at %s\\n' s7 /scratch/sessions/7 ")
                .contains("--server=broker --port=5672 --vhost=/")
                .contains("--authfile=\"$push_login\"")
                .contains("push_key=wf-7.inventory.1.key")
                .doesNotContain("s3cret");
    }

    private static ClaimedJob job(
            String name, List<String> command, String template, String array, String value, Integer index) {
        String step = name.split("\\.")[1];
        Map<String, Object> model =
                template == null ? Map.of("parameters", List.of("a", "b", "c")) : templateModel(step, template);
        return claimed(
                name,
                command,
                template,
                model,
                array,
                array == null ? 0 : 3,
                index == null ? 0 : index,
                0,
                value,
                index);
    }

    /** What a template step stores for its jobs (SessionDriver.templateModel). */
    private static Map<String, Object> templateModel(String step, String template) {
        return Map.of(
                "run",
                Map.of("id", 7, "name", "s7", "dir", "/scratch/sessions/7", "location", "", "metadata", Map.of()),
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
                "services",
                Map.of());
    }

    private static ClaimedJob claimed(
            String name,
            List<String> command,
            String template,
            Map<String, Object> model,
            String array,
            int arraySize,
            int arrayIndex,
            int throttle,
            String value,
            Integer index) {
        String step = name.split("\\.")[1];
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
                arraySize,
                arrayIndex,
                throttle,
                value,
                index,
                Map.of());
    }
}
