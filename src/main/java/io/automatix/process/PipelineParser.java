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

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads a pipeline file strictly: unknown keys, wrong types, unknown steps in {@code after}, cycles
 * and missing templates are errors naming the file, the line and the field. The YAML is read as a
 * node tree (not bound to objects) so that every error knows its line.
 */
public final class PipelineParser {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
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
            "description");
    private static final Duration DEFAULT_WALLTIME = Duration.ofHours(1);
    /** More steps would make the cycle check recurse too deep; no real pipeline comes near. */
    static final int MAX_STEPS = 1000;

    private final Predicate<String> templateExists;

    /** @param templateExists whether a template of that name (relative to templates/) exists */
    public PipelineParser(Predicate<String> templateExists) {
        this.templateExists = templateExists;
    }

    /**
     * @param file      for errors, e.g. {@code pipelines/cybershake.yaml}
     * @param fileName  the pipeline's default name (the file name without .yaml)
     */
    public Pipeline parse(String file, String fileName, String text) {
        Node root;
        try {
            LoadSettings settings = LoadSettings.builder().setLabel(file).build();
            YamlDepth.tooDeep(text, settings).ifPresent(line -> {
                throw new PipelineError(file, line, null, "nested deeper than " + YamlDepth.MAX + " levels");
            });
            root = new Compose(settings)
                    .composeString(text)
                    .orElseThrow(() -> new PipelineError(file, 1, null, "the file is empty"));
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(1);
            throw new PipelineError(file, line, null, "not valid YAML: " + e.getProblem());
        } catch (YamlEngineException e) {
            throw new PipelineError(file, 1, null, "not valid YAML: " + e.getMessage());
        }
        Reader r = new Reader(file);
        Map<String, Node> top = r.mapping(root, "", TOP);
        String name = top.containsKey("pipeline") ? r.name(top.get("pipeline"), "pipeline") : fileName;
        if (!NAME.matcher(name).matches()) {
            throw new PipelineError(file, 1, "pipeline", "'" + name + "' is not a valid name");
        }
        Node stepsNode = top.get("steps");
        if (stepsNode == null) {
            throw new PipelineError(file, line(root), "steps", "a pipeline needs steps");
        }
        Map<String, Node> stepNodes = r.mapping(stepsNode, "steps", null);
        if (stepNodes.isEmpty()) {
            throw new PipelineError(file, line(stepsNode), "steps", "a pipeline needs at least one step");
        }
        if (stepNodes.size() > MAX_STEPS) {
            throw new PipelineError(
                    file, line(stepsNode), "steps", stepNodes.size() + " steps (at most " + MAX_STEPS + ")");
        }
        List<Step> steps = new ArrayList<>();
        Map<String, Node> afterNodes = new HashMap<>();
        for (Map.Entry<String, Node> e : stepNodes.entrySet()) {
            String stepName = e.getKey();
            String field = "steps." + stepName;
            if (!NAME.matcher(stepName).matches()) {
                throw new PipelineError(file, line(e.getValue()), field, "'" + stepName + "' is not a valid step name");
            }
            Map<String, Node> s = r.mapping(e.getValue(), field, STEP);
            Node templateNode = s.get("template");
            if (templateNode == null) {
                throw new PipelineError(file, line(e.getValue()), field + ".template", "a step needs a template");
            }
            String template = r.scalar(templateNode, field + ".template");
            if (template.contains("..") || template.startsWith("/") || !templateExists.test(template)) {
                throw new PipelineError(
                        file, line(templateNode), field + ".template", "no template '" + template + "' in templates/");
            }
            Duration walltime = DEFAULT_WALLTIME;
            if (s.containsKey("walltime")) {
                try {
                    walltime = walltime(r.scalar(s.get("walltime"), field + ".walltime"));
                } catch (IllegalArgumentException ex) {
                    throw new PipelineError(file, line(s.get("walltime")), field + ".walltime", ex.getMessage());
                }
            }
            Duration expected = null;
            if (s.containsKey("expected")) {
                try {
                    expected = walltime(r.scalar(s.get("expected"), field + ".expected"));
                } catch (IllegalArgumentException ex) {
                    throw new PipelineError(file, line(s.get("expected")), field + ".expected", ex.getMessage());
                }
            }
            String partition = s.containsKey("partition") ? r.name(s.get("partition"), field + ".partition") : null;
            Map<String, String> resources = new LinkedHashMap<>();
            if (s.containsKey("resources")) {
                for (Map.Entry<String, Node> res : r.mapping(s.get("resources"), field + ".resources", RESOURCES)
                        .entrySet()) {
                    String value = r.scalar(res.getValue(), field + ".resources." + res.getKey());
                    if (!RESOURCE_VALUE.matcher(value).matches()) {
                        throw new PipelineError(
                                file,
                                line(res.getValue()),
                                field + ".resources." + res.getKey(),
                                "'" + value + "' is not a valid value");
                    }
                    resources.put(res.getKey(), value);
                }
            }
            List<String> after = new ArrayList<>();
            if (s.containsKey("after")) {
                afterNodes.put(stepName, s.get("after"));
                for (Node a : r.sequence(s.get("after"), field + ".after")) {
                    after.add(r.scalar(a, field + ".after"));
                }
            }
            int retries = 0;
            if (s.containsKey("retries")) {
                String value = r.scalar(s.get("retries"), field + ".retries");
                if (!value.matches("\\d{1,2}")) {
                    throw new PipelineError(
                            file,
                            line(s.get("retries")),
                            field + ".retries",
                            "'" + value + "' is not a number from 0 to 99");
                }
                retries = Integer.parseInt(value);
            }
            Map<String, String> variables = new LinkedHashMap<>();
            if (s.containsKey("variables")) {
                for (Map.Entry<String, Node> v : r.mapping(s.get("variables"), field + ".variables", null)
                        .entrySet()) {
                    variables.put(v.getKey(), r.scalar(v.getValue(), field + ".variables." + v.getKey()));
                }
            }
            steps.add(new Step(
                    stepName,
                    template,
                    walltime,
                    expected,
                    partition,
                    Map.copyOf(resources),
                    List.copyOf(after),
                    retries,
                    Map.copyOf(variables)));
        }
        checkGraph(file, steps, afterNodes);
        return new Pipeline(name, file, List.copyOf(steps));
    }

    /** A walltime; one too long for a Duration is refused like any other bad walltime. */
    private static Duration walltime(String text) {
        try {
            return Walltime.parse(text);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is too long a walltime");
        }
    }

    /** Every {@code after} names a step of this pipeline, and following them never comes back. */
    private static void checkGraph(String file, List<Step> steps, Map<String, Node> afterNodes) {
        Map<String, Step> byName = new LinkedHashMap<>();
        steps.forEach(s -> byName.put(s.name(), s));
        for (Step s : steps) {
            for (String parent : s.after()) {
                if (!byName.containsKey(parent)) {
                    throw new PipelineError(
                            file,
                            line(afterNodes.get(s.name())),
                            "steps." + s.name() + ".after",
                            "unknown step '" + parent + "'");
                }
            }
        }
        Map<String, List<String>> after = new LinkedHashMap<>();
        steps.forEach(s -> after.put(s.name(), s.after()));
        List<List<String>> cycles = StepGraph.cycles(after);
        if (!cycles.isEmpty()) {
            List<String> path = cycles.get(0);
            throw new PipelineError(
                    file,
                    line(afterNodes.get(path.get(0))),
                    "steps." + path.get(0) + ".after",
                    "cycle: " + String.join(" -> ", path));
        }
    }

    private static int line(Node node) {
        return node == null ? 1 : node.getStartMark().map(m -> m.getLine() + 1).orElse(1);
    }

    /** Typed access to the node tree, each failure an error at the node's line. */
    private record Reader(String file) {

        Map<String, Node> mapping(Node node, String field, Set<String> allowed) {
            if (!(node instanceof MappingNode m)) {
                throw new PipelineError(file, line(node), field.isEmpty() ? null : field, "expected a mapping");
            }
            Map<String, Node> result = new LinkedHashMap<>();
            for (NodeTuple t : m.getValue()) {
                String key = scalar(t.getKeyNode(), field);
                String path = field.isEmpty() ? key : field + "." + key;
                if (allowed != null && !allowed.contains(key)) {
                    throw new PipelineError(
                            file,
                            line(t.getKeyNode()),
                            path,
                            "unknown key (expected one of "
                                    + allowed.stream().sorted().toList() + ")");
                }
                if (result.put(key, t.getValueNode()) != null) {
                    throw new PipelineError(file, line(t.getKeyNode()), path, "given twice");
                }
            }
            return result;
        }

        List<Node> sequence(Node node, String field) {
            if (node instanceof SequenceNode s) {
                return s.getValue();
            }
            if (node instanceof ScalarNode) {
                return List.of(node); // after: LF is after: [LF]
            }
            throw new PipelineError(file, line(node), field, "expected a list");
        }

        String scalar(Node node, String field) {
            if (!(node instanceof ScalarNode s)) {
                throw new PipelineError(file, line(node), field, "expected a single value");
            }
            return s.getValue();
        }

        String name(Node node, String field) {
            String value = scalar(node, field);
            if (!NAME.matcher(value).matches()) {
                throw new PipelineError(file, line(node), field, "'" + value + "' is not a valid name");
            }
            return value;
        }
    }
}
