package io.automatix.process;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import io.automatix.description.Fields;
import io.automatix.description.StepGraph;
import io.automatix.description.YamlReader;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads a pipeline file strictly with the {@link YamlReader}: unknown keys, wrong types, unknown
 * steps in {@code after}, cycles and missing templates are errors naming the file, the line and the
 * field, all of them reported together in one {@link PipelineError}. They come in the order the
 * checks find them, which is the order in which they ran when only the first error was reported: the
 * first error is the one users have always been shown first.
 */
public final class PipelineParser {

    /** sbatch options a step may ask for, and the values they may take (they reach a command line). */
    private static final Set<String> RESOURCES = Set.of(
            "nodes",
            "ntasks",
            "ntasks-per-node",
            "cpus-per-task",
            "mem",
            "mem-per-cpu",
            "gres",
            "gpus",
            "constraint",
            "account",
            "qos",
            "reservation");

    private static final Pattern RESOURCE_VALUE = Pattern.compile("[A-Za-z0-9_.:,=+-]{1,128}");
    private static final Set<String> TOP = Set.of("pipeline", "description", "steps");
    private static final Set<String> STEP = Set.of(
            "template",
            "walltime",
            "expected",
            "partition",
            "resources",
            "after",
            "retries",
            "variables",
            "on_failure",
            "description");
    private static final Duration DEFAULT_WALLTIME = Duration.ofHours(1);

    private final Predicate<String> templateExists;

    /** @param templateExists whether a template of that name (relative to templates/) exists */
    public PipelineParser(Predicate<String> templateExists) {
        this.templateExists = templateExists;
    }

    /** The file's text, or a {@link PipelineError} at the line where it stops being UTF-8. */
    public static String utf8(String file, byte[] bytes) {
        YamlReader r = new YamlReader(file);
        String text = r.utf8(bytes);
        if (text == null) {
            throw new PipelineError(r.errors().inOrderFound());
        }
        return text;
    }

    /**
     * @param file      for errors, e.g. {@code pipelines/cybershake.yaml}
     * @param fileName  the pipeline's default name (the file name without .yaml)
     * @throws PipelineError with every error found
     */
    public Pipeline parse(String file, String fileName, String text) {
        YamlReader r = new YamlReader(file);
        Node root = r.compose(text);
        Fields top = root == null ? null : r.mapping(root, "", TOP);
        if (top == null) {
            throw new PipelineError(r.errors().inOrderFound());
        }
        String name = fileName;
        if (top.has("pipeline")) {
            name = r.name(top.get("pipeline"), "pipeline");
        } else if (!YamlReader.NAME.matcher(fileName).matches()) {
            r.error(1, "pipeline", "'" + fileName + "' is not a valid name");
        }
        List<Step> steps = steps(r, root, top.get("steps"));
        if (!r.errors().isEmpty()) {
            throw new PipelineError(r.errors().inOrderFound());
        }
        return new Pipeline(name, file, List.copyOf(steps));
    }

    private List<Step> steps(YamlReader r, Node root, Node section) {
        if (section == null) {
            r.error(root, "steps", "a pipeline needs steps");
            return List.of();
        }
        Fields stepNodes = r.mapping(section, "steps", null);
        if (stepNodes == null) {
            return List.of();
        }
        if (stepNodes.isEmpty()) {
            r.error(section, "steps", "a pipeline needs at least one step");
            return List.of();
        }
        if (stepNodes.size() > StepGraph.MAX_STEPS) {
            r.error(section, "steps", stepNodes.size() + " steps (at most " + StepGraph.MAX_STEPS + ")");
            return List.of();
        }
        List<Step> steps = new ArrayList<>();
        Map<String, Node> afterNodes = new HashMap<>();
        for (String stepName : stepNodes.keys()) {
            Node node = stepNodes.get(stepName);
            String field = "steps." + stepName;
            if (!YamlReader.NAME.matcher(stepName).matches()) {
                r.error(node, field, "'" + stepName + "' is not a valid step name");
                continue;
            }
            Fields s = r.mapping(node, field, STEP);
            if (s != null) {
                steps.add(step(r, stepName, node, s));
                if (s.has("after")) {
                    afterNodes.put(stepName, s.get("after"));
                }
            }
        }
        checkGraph(r, stepNodes.keys(), steps, afterNodes);
        return steps;
    }

    private Step step(YamlReader r, String name, Node node, Fields s) {
        String field = "steps." + name;
        String template = null;
        if (!s.has("template")) {
            r.error(node, field + ".template", "a step needs a template");
        } else {
            template = r.string(s.get("template"), field + ".template");
            if (template != null
                    && (template.contains("..") || template.startsWith("/") || !templateExists.test(template))) {
                r.error(s.get("template"), field + ".template", "no template '" + template + "' in templates/");
            }
        }
        Duration walltime = s.has("walltime") ? r.duration(s.get("walltime"), field + ".walltime") : DEFAULT_WALLTIME;
        Duration expected = s.has("expected") ? r.duration(s.get("expected"), field + ".expected") : null;
        String partition = s.has("partition") ? r.name(s.get("partition"), field + ".partition") : null;
        Map<String, String> resources = new LinkedHashMap<>();
        Fields res = s.has("resources") ? r.mapping(s.get("resources"), field + ".resources", RESOURCES) : null;
        for (String key : res == null ? Set.<String>of() : res.keys()) {
            String value = r.matching(res.get(key), field + ".resources." + key, RESOURCE_VALUE, "a valid value");
            if (value != null) {
                resources.put(key, value);
            }
        }
        List<String> after = new ArrayList<>();
        for (Node a : r.oneOrMany(s.get("after"), field + ".after")) {
            String parent = r.string(a, field + ".after");
            if (parent != null) {
                after.add(parent);
            }
        }
        Integer retries = s.has("retries") ? r.integer(s.get("retries"), field + ".retries", 0, 99, "a number") : null;
        Map<String, String> variables = new LinkedHashMap<>();
        Fields vars = s.has("variables") ? r.mapping(s.get("variables"), field + ".variables", null) : null;
        for (String key : vars == null ? Set.<String>of() : vars.keys()) {
            String value = r.string(vars.get(key), field + ".variables." + key);
            if (value != null) {
                variables.put(key, value);
            }
        }
        RecoveryPolicy onFailure = s.has("on_failure")
                ? RecoveryPolicyReader.read(r, s.get("on_failure"), field + ".on_failure", resources, partition)
                : null;
        return new Step(
                name,
                template,
                walltime,
                expected,
                partition,
                Map.copyOf(resources),
                List.copyOf(after),
                retries == null ? 0 : retries,
                Map.copyOf(variables),
                onFailure);
    }

    /**
     * Every {@code after} names a step of this pipeline, and following them never comes back; each
     * error at the {@code after} of the step it is found in (a cycle: of its first step).
     */
    private static void checkGraph(YamlReader r, Set<String> names, List<Step> steps, Map<String, Node> afterNodes) {
        for (Step s : steps) {
            for (String parent : s.after()) {
                if (!names.contains(parent)) {
                    r.error(afterNodes.get(s.name()), "steps." + s.name() + ".after", "unknown step '" + parent + "'");
                }
            }
        }
        Map<String, List<String>> after = new LinkedHashMap<>();
        steps.forEach(s -> after.put(s.name(), s.after()));
        for (List<String> path : StepGraph.cycles(after)) {
            r.error(
                    afterNodes.get(path.get(0)),
                    "steps." + path.get(0) + ".after",
                    "cycle: " + String.join(" -> ", path));
        }
    }
}
