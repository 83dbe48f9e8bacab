package io.automatix.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import io.automatix.description.Walltime;
import io.automatix.testing.TestServices;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class PipelineParserTest {

    private static final Set<String> TEMPLATES = Set.of("a.sh.ftl", "b.sh.ftl");
    private final PipelineParser parser = new PipelineParser(TEMPLATES::contains);

    @Test
    void theShippedPipelinesAreValid() throws Exception {
        JobTemplates templates = new JobTemplates(TestServices.PROJECT.resolve("templates"));
        PipelineParser shipped = new PipelineParser(templates::exists);
        Pipeline cybershake = shipped.parse(
                "pipelines/cybershake.yaml",
                "cybershake",
                Files.readString(TestServices.PROJECT.resolve("pipelines/cybershake.yaml")));
        assertThat(cybershake.steps()).extracting(Step::name).containsExactly("LF", "HF", "BB", "IM_calc");
        assertThat(cybershake.step("BB").orElseThrow().after()).containsExactly("LF", "HF");
        Pipeline fulliautomatix = shipped.parse(
                "pipelines/fulliautomatix.yaml",
                "fulliautomatix",
                Files.readString(TestServices.PROJECT.resolve("pipelines/fulliautomatix.yaml")));
        assertThat(fulliautomatix.step("process").orElseThrow().walltime()).isEqualTo(Duration.ofHours(2));
        assertThat(fulliautomatix.step("process").orElseThrow().resources()).containsEntry("mem", "1G");
    }

    @Test
    void aStepAfterAnUnknownStepIsRefusedWithItsLine() {
        String yaml = """
                steps:
                  A:
                    template: a.sh.ftl
                  B:
                    template: b.sh.ftl
                    after: [A, C]
                """;
        assertThatThrownBy(() -> parser.parse("pipelines/p.yaml", "p", yaml))
                .isInstanceOf(PipelineError.class)
                .hasMessage("pipelines/p.yaml:6: steps.B.after: unknown step 'C'");
    }

    @Test
    void aCycleIsRefusedNamingIt() {
        String yaml = """
                steps:
                  A: {template: a.sh.ftl, after: C}
                  B: {template: a.sh.ftl, after: A}
                  C: {template: a.sh.ftl, after: B}
                """;
        assertThatThrownBy(() -> parser.parse("pipelines/p.yaml", "p", yaml))
                .hasMessage("pipelines/p.yaml:2: steps.A.after: cycle: A -> C -> B -> A");
    }

    @Test
    void aMissingTemplateIsRefusedWithItsLine() {
        String yaml = "steps:\n  A:\n    walltime: 4h\n    template: nowhere.sh.ftl\n";
        assertThatThrownBy(() -> parser.parse("pipelines/p.yaml", "p", yaml))
                .hasMessage("pipelines/p.yaml:4: steps.A.template: no template 'nowhere.sh.ftl' in templates/");
        assertThatThrownBy(
                        () -> parser.parse("pipelines/p.yaml", "p", "steps:\n  A:\n    template: ../../etc/passwd\n"))
                .hasMessageContaining("no template '../../etc/passwd'");
    }

    @Test
    void unknownKeysBadValuesAndBrokenYamlAreRefusedWithTheirLine() {
        assertThatThrownBy(() -> parser.parse("p.yaml", "p", "steps:\n  A:\n    template: a.sh.ftl\n    retires: 2\n"))
                .hasMessageStartingWith("p.yaml:4: steps.A.retires: unknown key");
        assertThatThrownBy(
                        () -> parser.parse("p.yaml", "p", "steps:\n  A:\n    template: a.sh.ftl\n    walltime: soon\n"))
                .hasMessageStartingWith("p.yaml:4: steps.A.walltime: 'soon' is not a walltime");
        assertThatThrownBy(() -> parser.parse(
                        "p.yaml", "p", "steps:\n  A:\n    template: a.sh.ftl\n    resources: {mem: '1G; rm -rf /'}\n"))
                .hasMessageStartingWith("p.yaml:4: steps.A.resources.mem: '1G; rm -rf /' is not a valid value");
        assertThatThrownBy(() -> parser.parse(
                        "p.yaml", "p", "steps:\n  A:\n    template: a.sh.ftl\n  A:\n    template: b.sh.ftl\n"))
                .hasMessage("p.yaml:4: steps.A: given twice");
        assertThatThrownBy(() -> parser.parse("p.yaml", "p", "steps:\n  -A: {template: a.sh.ftl}\n"))
                .hasMessage("p.yaml:2: steps.-A: '-A' is not a valid step name");
        assertThatThrownBy(() -> parser.parse("p.yaml", "p", "steps:\n  A: [unclosed\n"))
                .hasMessageStartingWith("p.yaml:3: not valid YAML");
    }

    @Test
    void everyErrorOfAPipelineIsReportedTheFirstFirst() {
        String yaml = """
                steps:
                  A:
                    template: a.sh.ftl
                    after: [C]
                  B:
                    template: b.sh.ftl
                    retires: 2
                    walltime: soon
                """;
        PipelineError e = catchThrowableOfType(PipelineError.class, () -> parser.parse("p.yaml", "p", yaml));
        // the order the checks run in: each step's own fields, then the steps' after lists
        assertThat(e.errors())
                .containsExactly(
                        "p.yaml:7: steps.B.retires: unknown key (expected one of [after, description, expected, "
                                + "on_failure, partition, resources, retries, template, variables, walltime])",
                        "p.yaml:8: steps.B.walltime: 'soon' is not a walltime (e.g. 90m, 4h, 1d, 01:30:00, 2-00:00:00)",
                        "p.yaml:4: steps.A.after: unknown step 'C'");
        assertThat(e).hasMessage(String.join("\n", e.errors()));
    }

    @Test
    void walltimesAreReadInTheFormsPeopleAndSlurmWrite() {
        assertThat(Walltime.parse("90m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Walltime.parse("4h")).isEqualTo(Duration.ofHours(4));
        assertThat(Walltime.parse("01:30:00")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Walltime.parse("2-00:00:00")).isEqualTo(Duration.ofDays(2));
    }

    @Test
    void aTemplateThatDoesNotRenderNamesItsLine() throws Exception {
        Path dir = Files.createTempDirectory("templates");
        Files.writeString(dir.resolve("t.ftl"), "echo ok\necho ${run.nope}\n");
        JobTemplates templates = new JobTemplates(dir);
        assertThatThrownBy(() -> templates.render("t.ftl", java.util.Map.of("run", java.util.Map.of("name", "x"))))
                .isInstanceOf(JobTemplates.TemplateFailure.class)
                .hasMessageStartingWith("templates/t.ftl:2: ");
        Files.writeString(dir.resolve("q.ftl"), "echo ${v} ${w} ${v?no_esc}\n");
        assertThat(templates.render("q.ftl", java.util.Map.of("v", "it's $(bad)", "w", "plain-word_1")))
                .isEqualTo("echo 'it'\\''s $(bad)' plain-word_1 it's $(bad)\n");
    }

    @Test
    void aTemplateReachingForJavaFailsValidationWithItsLine() throws Exception {
        Path dir = Files.createTempDirectory("templates");
        Files.createDirectories(dir.resolve("evil"));
        Files.writeString(
                dir.resolve("evil/new.sh.ftl"),
                "echo ok\n<#-- ${x?new} in a comment is text -->\n"
                        + "<#assign ex = \"freemarker.template.utility.Execute\"?new()>${ex(\"id\")}\n");
        Files.writeString(dir.resolve("evil/api.sh.ftl"), "echo\necho\necho ${run?api.getClass()}\n");
        Files.writeString(dir.resolve("fine.sh.ftl"), "echo ${run.name} '?new' <#noparse>${x?new}</#noparse>\n");
        JobTemplates templates = new JobTemplates(dir);
        assertThatThrownBy(templates::validate)
                .isInstanceOf(JobTemplates.TemplateFailure.class)
                .hasMessage("templates/evil/api.sh.ftl:3: ?api is not allowed: templates cannot create or reach Java"
                        + " objects\ntemplates/evil/new.sh.ftl:3: ?new is not allowed: templates cannot create or"
                        + " reach Java objects");
        // and FreeMarker refuses them when they are rendered anyway (edited after the start)
        java.util.Map<String, Object> model = java.util.Map.of("run", java.util.Map.of("name", "r1"));
        assertThatThrownBy(() -> templates.render("evil/new.sh.ftl", model))
                .isInstanceOf(JobTemplates.TemplateFailure.class)
                .hasMessageStartingWith("templates/evil/new.sh.ftl:3: ");
        assertThatThrownBy(() -> templates.render("evil/api.sh.ftl", model))
                .isInstanceOf(JobTemplates.TemplateFailure.class)
                .hasMessageStartingWith("templates/evil/api.sh.ftl:3: ");
        assertThat(templates.render("fine.sh.ftl", model)).isEqualTo("echo r1 '?new' ${x?new}\n");
    }

    @Test
    void theShippedTemplatesAreValid() {
        new JobTemplates(Path.of("templates")).validate();
    }
}
