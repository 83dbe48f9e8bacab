package io.automatix.workflow;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.automatix.workflow.DataMover.Operation;
import io.automatix.workflow.DataMover.Trigger;
import io.automatix.workflow.WdfStep.Access;
import io.automatix.workflow.WdfStep.ServiceUse;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

class WdfParserTest {

    private static final String SAMPLE = "workflows/iosea-sample.yaml";
    private static final Map<String, String> SAMPLE_VARIABLES =
            Map.of("NS1", "ns-one", "NS2", "ns-two", "SESSION", "s42");
    /** 12 lines: the steps given after it start at line 13. */
    private static final String HEAD = """
            workflow:
              name: wf
            services:
            - name: es1
              type: NFS
            datamovers:
            - name: dm1
              trigger: step_start
              target: flash
              operation: copy
              elements: input/*
            steps:
            """;

    /** The programs the examples run; sbatch with its built-in options. */
    private static final CommandPolicy COMMANDS =
            new CommandPolicy(Set.of("sbatch", "run", "a", "b", "c"), Map.of(), Map.of());

    private final WdfParser parser = new WdfParser(
            t -> t.startsWith("wf/"),
            t -> t.equals("flash") || t.equals("tape"),
            l -> l.equals("gpu_module"),
            COMMANDS);

    private static String sample() throws IOException {
        return java.nio.file.Files.readString(java.nio.file.Path.of(SAMPLE)); // the sample the project ships
    }

    private Wdf parse(String steps) {
        return parser.parse("wf.yaml", HEAD + steps, Map.of(), false);
    }

    private List<String> errors(String yaml, Map<String, String> variables, boolean lenient) {
        return errors("wf.yaml", yaml, variables, lenient);
    }

    private List<String> errors(String file, String yaml, Map<String, String> variables, boolean lenient) {
        WdfError e = catchThrowableOfType(WdfError.class, () -> parser.parse(file, yaml, variables, lenient));
        assertThat(e).as("a WdfError").isNotNull();
        assertThat(e.getMessage()).isEqualTo(String.join("\n", e.errors()));
        return e.errors();
    }

    private List<String> stepErrors(String steps) {
        return errors(HEAD + steps, Map.of(), false);
    }

    @Test
    void theIoseaSampleIsReadWithItsVariables() throws Exception {
        Wdf wdf = parser.parse(SAMPLE, sample(), SAMPLE_VARIABLES, false);
        assertThat(wdf.name()).isEqualTo("My_Workflow");
        assertThat(wdf.services())
                .containsExactly(
                        new WdfService(
                                "ephemeral_service_1", "NFS", "ns-one", "/mnt/USER/My_Workflow/s42/ES1", "medium"),
                        new WdfService(
                                "ephemeral_service_2", "NFS", "ns-two", "/mnt/USER/My_Workflow/s42/ES2", "medium"));
        assertThat(wdf.service("ephemeral_service_2").orElseThrow().mountpoint())
                .contains("s42");
        assertThat(wdf.dataMover("datamover1").orElseThrow())
                .isEqualTo(new DataMover(
                        "datamover1",
                        Trigger.STEP_START,
                        "flash",
                        Operation.COPY,
                        List.of("gauges/*.hdf5", "input/*")));
        assertThat(wdf.dataMover("datamover2").orElseThrow())
                .isEqualTo(new DataMover(
                        "datamover2", Trigger.STEP_STOP, "tape", Operation.MOVE, List.of("gauges/*.hdf5")));
        WdfStep a = wdf.step("step_A").orElseThrow();
        assertThat(a.location()).containsExactly("gpu_module");
        assertThat(a.command()).isEqualTo("sbatch My_Step_A");
        assertThat(a.template()).isNull();
        assertThat(a.services()).containsExactly(new ServiceUse("ephemeral_service_1", Access.RO, List.of()));
        assertThat(a.parametric()).isFalse();
        WdfStep b = wdf.step("step_B").orElseThrow();
        assertThat(b.services())
                .containsExactly(new ServiceUse("ephemeral_service_2", Access.RW, List.of("datamover1", "datamover2")));
        assertThat(b.dataMovers()).containsExactly("datamover1", "datamover2");
        assertThat(wdf.steps()).extracting(WdfStep::name).containsExactly("step_A", "step_B");
        assertThat(wdf.deferredVariables()).isEmpty();
    }

    @Test
    void anUndefinedVariableIsRefusedWithItsLineEvenLeniently() throws Exception {
        Map<String, String> noNs2 = Map.of("NS1", "ns-one", "SESSION", "s42");
        assertThat(errors(SAMPLE, sample(), noNs2, false))
                .containsExactly(
                        SAMPLE + ":14: services.ephemeral_service_2.attributes.namespace: undefined variable 'NS2'");
        assertThat(errors(SAMPLE, sample(), noNs2, true)) // lenient is for the steps only
                .containsExactly(
                        SAMPLE + ":14: services.ephemeral_service_2.attributes.namespace: undefined variable 'NS2'");
    }

    @Test
    void anUndefinedStepVariableIsDeferredLenientlyAndRefusedStrictly() {
        String steps = """
                - name: prep
                  location: gpu_module
                  command: "run {{ STEP }} {{INPUT}} {{ SESSION }}"
                - name: post
                  command: "run {{ STEP }}"
                """;
        Wdf wdf = parser.parse("wf.yaml", HEAD + steps, Map.of("SESSION", "s42"), true);
        assertThat(wdf.step("prep").orElseThrow().command()).isEqualTo("run prep {{INPUT}} s42");
        assertThat(wdf.step("post").orElseThrow().command()).isEqualTo("run post");
        assertThat(wdf.deferredVariables()).containsExactly(Map.entry("prep", java.util.Set.of("INPUT")));

        assertThat(errors(HEAD + steps, Map.of("SESSION", "s42"), false))
                .containsExactly("wf.yaml:15: steps.prep.command: undefined variable 'INPUT'");
        // a value waiting for a variable is checked at run time, when it is known
        Wdf pending = parser.parse(
                "wf.yaml", HEAD + "- {name: a, location: \"{{ WHERE }}\", template: \"wf/{{ T }}\"}\n", Map.of(), true);
        assertThat(pending.step("a").orElseThrow().location()).containsExactly("{{ WHERE }}");
        assertThat(pending.deferredVariables()).containsExactly(Map.entry("a", java.util.Set.of("WHERE", "T")));
        assertThat(errors(
                        HEAD + "- {name: a, location: \"{{ WHERE }}\", template: \"wf/{{ T }}\"}\n",
                        Map.of("WHERE", "moon", "T", "../x"),
                        false))
                .containsExactly(
                        "wf.yaml:13: steps.a.location: unknown location 'moon'",
                        "wf.yaml:13: steps.a.template: 'wf/../x' must be a relative path without '..'");
        assertThat(parser.parse("wf.yaml", HEAD + steps, Map.of("SESSION", "s42", "INPUT", "in.dat"), false)
                        .step("prep")
                        .orElseThrow()
                        .command())
                .isEqualTo("run prep in.dat s42");
        // the step's name itself is read strictly, and STEP is not defined outside a step
        assertThat(errors(HEAD + "- name: \"x_{{ RUN }}\"\n  command: run\n", Map.of(), true))
                .containsExactly("wf.yaml:13: steps[0].name: undefined variable 'RUN'");
        assertThat(errors(
                        HEAD.replace("name: wf", "name: \"{{ STEP }}\"") + "- {name: a, command: run}\n",
                        Map.of(),
                        true))
                .containsExactly("wf.yaml:2: workflow.name: undefined variable 'STEP'");
    }

    @Test
    void substitutedValuesAreCheckedAndNotScannedAgain() {
        String steps = """
                - name: "{{ PREFIX }}_a"
                  location: "{{ WHERE }}"
                  command: "run {{ TEXT }}"
                """;
        // the value's own {{ STEP }} is not replaced: the command sees the braces, and refuses them
        assertThat(errors(HEAD + steps, Map.of("PREFIX", "p", "WHERE", "gpu_module", "TEXT", "{{ STEP }}"), false))
                .containsExactly("wf.yaml:15: steps.p_a.command: '{{' is not allowed in a command (letters, digits"
                        + " and _ . / = : , @ % + - only; no quotes or shell syntax)");
        assertThat(errors(HEAD + steps, Map.of("PREFIX", "p", "WHERE", "cpu_module", "TEXT", "t"), false))
                .containsExactly("wf.yaml:14: steps.p_a.location: unknown location 'cpu_module'");
        assertThat(errors(HEAD + steps, Map.of("PREFIX", "p q", "WHERE", "gpu_module", "TEXT", "t"), false))
                .containsExactly("wf.yaml:13: steps[0].name: 'p q_a' is not a valid name");
    }

    @Test
    void aStepsRetriesAreReadAndBounded() {
        assertThat(parse("- {name: a, command: run, retries: 2}\n- {name: b, command: run}\n").steps().stream()
                        .map(WdfStep::retries)
                        .toList())
                .containsExactly(2, 0);
        assertThat(stepErrors("- {name: a, command: run, retries: 100}\n"))
                .containsExactly("wf.yaml:13: steps.a.retries: '100' is not a number from 0 to 99");
    }

    @Test
    void aParametricStepsThrottleIsReadAndChecked() {
        assertThat(parse("- {name: a, template: wf/t.ftl, throttle: 50, parameters: {start: 0, count: 2500}}\n"
                                + "- {name: b, command: run, parameters: [x, y]}\n")
                        .steps()
                        .stream()
                        .map(WdfStep::throttle)
                        .toList())
                .containsExactly(50, null);
        assertThat(stepErrors("- {name: a, command: run, parameters: [x], throttle: 0}\n"
                        + "- {name: b, command: run, parameters: [x], throttle: ten}\n"
                        + "- {name: c, command: run, throttle: 2}\n"
                        + "- {name: d, command: 'run %s', parameters: [x], throttle: 2}\n"))
                .containsExactly(
                        "wf.yaml:13: steps.a.throttle: '0' is not a count of jobs at once from 1 to 10000",
                        "wf.yaml:14: steps.b.throttle: 'ten' is not a count of jobs at once from 1 to 10000",
                        "wf.yaml:15: steps.c.throttle: only a step with parameters runs as an array to throttle",
                        "wf.yaml:16: steps.d.throttle: a command using %s or %n is submitted once per value, not as an"
                                + " array to throttle");
    }

    @Test
    void anUnknownSectionIsRefused() {
        assertThat(stepErrors("- {name: a, command: run}\nstorage: lots\n"))
                .containsExactly(
                        "wf.yaml:14: storage: unknown key (expected one of [datamovers, services, steps, workflow])");
    }

    @Test
    void anUnknownKeyInAStepIsRefused() {
        assertThat(stepErrors("- name: a\n  command: run\n  priority: 2\n"))
                .containsExactly(
                        "wf.yaml:15: steps.a.priority: unknown key (expected one of [after, command, datamovers, "
                                + "description, location, name, parameters, retries, services, template, throttle, walltime])");
    }

    @Test
    void aStepNamingAMissingServiceOrDataMoverIsRefused() {
        assertThat(stepErrors("""
                - name: step_B
                  command: run
                  services:
                    - name: ephemeral_service_9 RW
                """))
                .containsExactly(
                        "wf.yaml:16: steps.step_B.services.ephemeral_service_9: unknown service 'ephemeral_service_9'");
        assertThat(stepErrors("""
                - name: step_B
                  command: run
                  services:
                    - name: es1
                      datamovers: [dm1, dm9]
                """))
                .containsExactly("wf.yaml:17: steps.step_B.services.es1.datamovers: unknown data mover 'dm9'");
    }

    @Test
    void stepLevelDataMoversGoToTheFirstServiceUse() {
        String services = HEAD.replace("services:\n", "services:\n- {name: es2, type: SBB}\n");
        Wdf wdf = parser.parse("wf.yaml", services + """
                - name: a
                  command: run
                  services:
                  - name: es1 RO
                  - name: es2
                  datamovers:
                  - dm1
                """, Map.of(), false);
        assertThat(wdf.step("a").orElseThrow().services())
                .containsExactly(
                        new ServiceUse("es1", Access.RO, List.of("dm1")), new ServiceUse("es2", Access.RW, List.of()));
        assertThat(stepErrors("- name: a\n  command: run\n  datamovers: dm1\n"))
                .containsExactly("wf.yaml:15: steps.a.datamovers: a step without services cannot have data movers");
    }

    @Test
    void anUnknownTriggerOrTierIsRefused() {
        assertThat(errors(HEAD.replace("step_start", "step_end") + "- {name: a, command: run}\n", Map.of(), false))
                .containsExactly(
                        "wf.yaml:8: datamovers.dm1.trigger: unknown trigger 'step_end' (expected one of [step_start, step_stop])");
        assertThat(errors(
                        HEAD.replace("target: flash", "target: floppy") + "- {name: a, command: run}\n",
                        Map.of(),
                        false))
                .containsExactly("wf.yaml:9: datamovers.dm1.target: unknown storage tier 'floppy'");
    }

    @Test
    void aBadAccessModeIsRefused() {
        assertThat(stepErrors("- name: a\n  command: run\n  services:\n  - name: es1 RX\n"))
                .containsExactly("wf.yaml:16: steps.a.services.es1: unknown access mode 'RX' (expected RO or RW)");
        assertThat(stepErrors("- name: a\n  command: run\n  services:\n  - name: es1 RO now\n"))
                .containsExactly("wf.yaml:16: steps.a.services[0].name: 'es1 RO now' is not '<service> [RO|RW]'");
    }

    @Test
    void elementsMustBeRelativeGlobs() {
        String step = "- {name: a, command: run}\n";
        assertThat(errors(
                        HEAD.replace("elements: input/*", "elements: [input/*, input/../../etc]") + step,
                        Map.of(),
                        false))
                .containsExactly(
                        "wf.yaml:11: datamovers.dm1.elements: 'input/../../etc' must not contain a '..' path segment");
        assertThat(errors(HEAD.replace("elements: input/*", "elements:\n  - /etc/passwd") + step, Map.of(), false))
                .containsExactly("wf.yaml:12: datamovers.dm1.elements: '/etc/passwd' must be a relative path");
        assertThat(errors(HEAD.replace("elements: input/*", "elements: \"a;b\"") + step, Map.of(), false))
                .containsExactly(
                        "wf.yaml:11: datamovers.dm1.elements: 'a;b' is not a valid element (letters, digits and ._/*?[]+=,@- only)");
    }

    @Test
    void aStepHasACommandOrATemplate() {
        assertThat(parse("- {name: a, template: wf/a.sh.ftl}\n")
                        .step("a")
                        .orElseThrow()
                        .template())
                .isEqualTo("wf/a.sh.ftl");
        assertThat(stepErrors("- name: a\n  command: run\n  template: wf/a.sh.ftl\n"))
                .containsExactly("wf.yaml:15: steps.a.template: a step has a command or a template, not both");
        assertThat(stepErrors("- name: a\n  location: gpu_module\n"))
                .containsExactly("wf.yaml:13: steps.a: a step needs a command or a template");
        assertThat(stepErrors("- name: a\n  template: other/a.sh.ftl\n"))
                .containsExactly("wf.yaml:14: steps.a.template: unknown template 'other/a.sh.ftl'");
        assertThat(stepErrors("- name: a\n  template: wf/../../etc/passwd\n"))
                .containsExactly(
                        "wf.yaml:14: steps.a.template: 'wf/../../etc/passwd' must be a relative path without '..'");
    }

    @Test
    void afterNamesKnownStepsWithoutCycles() {
        Wdf wdf = parse("- {name: a, command: run}\n- {name: b, command: run, after: a, walltime: 90m}\n");
        assertThat(wdf.step("b").orElseThrow().after()).containsExactly("a");
        assertThat(wdf.step("b").orElseThrow().walltime()).isEqualTo(Duration.ofMinutes(90));
        assertThat(stepErrors("- {name: a, command: run}\n- name: b\n  command: run\n  after:\n  - a\n  - c\n"))
                .containsExactly("wf.yaml:18: steps.b.after: unknown step 'c'");
        assertThat(stepErrors("""
                - {name: A, command: a, after: C}
                - {name: B, command: b, after: A}
                - {name: C, command: c, after: B}
                """)).containsExactly("wf.yaml:13: steps.A.after: cycle: A -> C -> B -> A");
    }

    @Test
    void parametersAreAListOrARange() {
        assertThat(parse("- {name: a, command: run, parameters: [x1, b=2, in/f.dat]}\n")
                        .step("a")
                        .orElseThrow()
                        .parameters())
                .containsExactly("x1", "b=2", "in/f.dat");
        WdfStep range = parse("- name: a\n  command: run\n  parameters:\n    start: 0\n    step: 0.5\n    count: 3\n")
                .step("a")
                .orElseThrow();
        assertThat(range.parametric()).isTrue();
        assertThat(range.parameters()).containsExactly("0", "0.5", "1");
        assertThat(parse("- {name: a, command: run, parameters: {start: 10, count: 3}}\n")
                        .step("a")
                        .orElseThrow()
                        .parameters())
                .containsExactly("10", "11", "12");
        assertThat(stepErrors("- name: a\n  command: run\n  parameters:\n    start: 0\n    count: 0\n"))
                .containsExactly("wf.yaml:17: steps.a.parameters.count: '0' is not a count from 1 to 10000");
        assertThat(stepErrors("- {name: a, command: run, parameters: ['a b']}\n"))
                .containsExactly(
                        "wf.yaml:13: steps.a.parameters: 'a b' is not a valid parameter value (1 to 256 letters, digits and _.+:=,@/-)");
    }

    @Test
    void aStepNameGivenTwiceIsRefusedAtTheSecond() {
        assertThat(stepErrors("- {name: a, command: run}\n- {name: b, command: run}\n- {name: a, command: run}\n"))
                .containsExactly("wf.yaml:15: steps.a: given twice (first at line 13)");
    }

    @Test
    void invalidYamlIsRefusedWithItsLine() {
        assertThat(errors(HEAD + "- name: a\n  command: [unclosed\n", Map.of(), false))
                .hasSize(1)
                .first()
                .asString()
                .startsWith("wf.yaml:15: not valid YAML: ");
        assertThat(errors("", Map.of(), false)).containsExactly("wf.yaml:1: the file is empty");
    }

    @Test
    void severalErrorsAreReportedTogether() {
        String yaml = HEAD.replace("step_start", "sometime").replace("target: flash", "target: floppy") + """
                - name: a
                  command: "run {{ INPUT }}"
                  colour: blue
                  services:
                  - name: es9 RO
                - name: b
                  command: run
                  after: [a, z]
                  walltime: soon
                """;
        assertThat(errors(yaml, Map.of(), false))
                .containsExactly(
                        "wf.yaml:8: datamovers.dm1.trigger: unknown trigger 'sometime' (expected one of [step_start, step_stop])",
                        "wf.yaml:9: datamovers.dm1.target: unknown storage tier 'floppy'",
                        "wf.yaml:14: steps.a.command: undefined variable 'INPUT'",
                        "wf.yaml:15: steps.a.colour: unknown key (expected one of [after, command, datamovers, description, location, "
                                + "name, parameters, retries, services, template, throttle, walltime])",
                        "wf.yaml:17: steps.a.services.es9: unknown service 'es9'",
                        "wf.yaml:20: steps.b.after: unknown step 'z'",
                        "wf.yaml:21: steps.b.walltime: 'soon' is not a walltime (e.g. 90m, 4h, 1d, 01:30:00, 2-00:00:00)");
    }

    private List<String> commandErrors(CommandPolicy policy, String command) {
        WdfParser site = new WdfParser(t -> true, t -> true, l -> true, policy);
        String yaml = HEAD + "- {name: a, command: \"" + command + "\"}\n";
        WdfError e = catchThrowableOfType(WdfError.class, () -> site.parse("wf.yaml", yaml, Map.of(), false));
        return e == null ? List.of() : e.errors();
    }

    @Test
    void aStepsSbatchTakesOnlyAllowedOptionsAtValidation() {
        String at = "wf.yaml:13: steps.a.command: ";
        assertThat(commandErrors(COMMANDS, "sbatch --wrap=id"))
                .containsExactly(at + "option '--wrap=id' of sbatch is not allowed in a step's command (it runs its"
                        + " value as a script instead of the step's); a site that must allow it lists --wrap in"
                        + " automatix.workflow.submit-options-unchecked.sbatch");
        assertThat(commandErrors(COMMANDS, "sbatch --uid=0 run.sh"))
                .singleElement(STRING)
                .contains("'--uid=0'");
        assertThat(commandErrors(COMMANDS, "sbatch --gid=0 run.sh"))
                .singleElement(STRING)
                .contains("'--gid=0'");
        assertThat(commandErrors(COMMANDS, "sbatch --output=/etc/cron.d/x run.sh"))
                .containsExactly(at + "option '--output=/etc/cron.d/x' of sbatch names a path outside the session's"
                        + " directory: give it relative, without '..' (or a site lists --output in"
                        + " automatix.workflow.submit-options-unchecked.sbatch)");
        assertThat(commandErrors(COMMANDS, "sbatch --error=logs/../../x run.sh"))
                .singleElement(STRING)
                .contains("'--error=logs/../../x'", "outside the session's directory");
        assertThat(commandErrors(COMMANDS, "sbatch --chdir=/tmp run.sh"))
                .singleElement(STRING)
                .contains("'--chdir=/tmp'");
        // a value in the next word would hide where the script begins: '--mem 4G --wrap=id' is sbatch --wrap
        assertThat(commandErrors(COMMANDS, "sbatch --mem 4G --wrap=id"))
                .containsExactly(at + "option '--mem' of sbatch needs its value in the same word (--mem=value)");
        assertThat(commandErrors(COMMANDS, "sbatch -o /etc/x run.sh"))
                .containsExactly(at + "option '-o' of sbatch is not allowed in a step's command: write options long,"
                        + " as --name=value");
        assertThat(commandErrors(COMMANDS, "sbatch --job-name=other run.sh"))
                .singleElement(STRING)
                .contains("'--job-name=other'", "the router names the job");
        assertThat(commandErrors(COMMANDS, "sbatch --bogus=1 run.sh"))
                .singleElement(STRING)
                .contains("'--bogus=1'", "automatix.workflow.submit-options.sbatch");
        // what the step's script is given is the script's, not sbatch's
        assertThat(commandErrors(COMMANDS, "sbatch --mem=4G --exclusive --output=logs/%j.out run.sh --wrap=x"))
                .isEmpty();
    }

    @Test
    void aSiteAllowsMoreOptionsByProgram() {
        CommandPolicy site = new CommandPolicy(
                Set.of("sbatch"), Map.of("sbatch", Set.of("--bogus")), Map.of("sbatch", Set.of("--wrap", "--output")));
        assertThat(commandErrors(site, "sbatch --bogus=1 run.sh")).isEmpty();
        assertThat(commandErrors(site, "sbatch --wrap=id")).isEmpty();
        assertThat(commandErrors(site, "sbatch --output=/scratch/x.out run.sh")).isEmpty();
        assertThat(commandErrors(site, "sbatch --uid=0 run.sh"))
                .singleElement(STRING)
                .contains("'--uid=0'");
    }

    @Test
    void aStepRunningAShellIsRefusedAtValidation() {
        assertThat(commandErrors(COMMANDS, "/bin/sh run.sh"))
                .containsExactly("wf.yaml:13: steps.a.command: '/bin/sh' runs whatever it is given (a shell or"
                        + " launcher): a step may not run it; submit a script with one of a, b, c, run, sbatch");
        for (String command : List.of("sh -c id", "bash -c id", "env id", "xargs id", "/usr/bin/env sbatch run.sh")) {
            String program = command.split(" ")[0];
            assertThat(commandErrors(COMMANDS, command))
                    .as(command)
                    .singleElement(STRING)
                    .contains("'" + program + "' runs whatever it is given");
        }
        // nor can a site allow one
        assertThatThrownBy(() -> new CommandPolicy(Set.of("sbatch", "bash"), Map.of(), Map.of()))
                .hasMessageContaining("automatix.workflow.commands")
                .hasMessageContaining("'bash'");
    }

    @Test
    void aParameterValueThatIsAnOptionIsRefusedAtValidation() {
        WdfParser site = new WdfParser(t -> true, t -> true, l -> true, COMMANDS);
        String yaml = HEAD + "- name: a\n  command: \"sbatch %s run.sh\"\n  parameters: [--mem=1G, --wrap=id]\n";
        WdfError e = catchThrowableOfType(WdfError.class, () -> site.parse("wf.yaml", yaml, Map.of(), false));
        assertThat(e.errors()).singleElement(STRING).startsWith("wf.yaml:14: steps.a.command: option '--wrap=id'");
    }
}
