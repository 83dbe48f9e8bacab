package io.automatix.workflow;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.automatix.description.Fields;
import io.automatix.description.StepGraph;
import io.automatix.description.YamlReader;
import io.automatix.workflow.DataMover.Operation;
import io.automatix.workflow.DataMover.Trigger;
import io.automatix.workflow.WdfStep.Access;
import io.automatix.workflow.WdfStep.ServiceUse;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads an IOSEA workflow description file (WDF) strictly with the {@link YamlReader}, as pipelines
 * are read: unknown keys, wrong types, unknown services, data movers, storage tiers, locations,
 * templates and steps, cycles and undefined variables are reported together in one {@link WdfError},
 * each as {@code file:line: field: reason}, in the order of their lines.
 *
 * <p>{@code {{ NAME }}} in any value (not in keys) is replaced by the caller's variable of that name
 * ({@link WdfVariables}); inside a step, after its name, {@code {{ STEP }}} is the step's name.
 * Leniently read ({@code lenientSteps}), a variable undefined inside the steps section is left in the
 * text and recorded in {@link Wdf#deferredVariables()}, and the checks of the values that contain it
 * are left to the strict read at run time: that result is provisional.
 */
public final class WdfParser {

    /** A word of a service use ({@code es1 RO}), a {@code {{ VAR }}} counting as part of one. */
    private static final Pattern WORD = Pattern.compile("(?:\\{\\{\\s*[A-Za-z_][A-Za-z0-9_]*\\s*\\}\\}|\\S)+");

    private static final Pattern ELEMENT = Pattern.compile("[A-Za-z0-9._/*?\\[\\]+=,@-]+");
    private static final Pattern PARAMETER = Pattern.compile("[A-Za-z0-9_.+:=,@/-]{1,256}");
    private static final Pattern NUMBER = Pattern.compile("[+-]?\\d{1,15}(\\.\\d{1,15})?");
    private static final int MAX_PARAMETERS = 10_000;

    private static final Set<String> TOP = Set.of("workflow", "services", "datamovers", "steps");
    private static final Set<String> WORKFLOW = Set.of("name", "description");
    private static final Set<String> SERVICE = Set.of("name", "type", "attributes");
    private static final Set<String> ATTRIBUTES = Set.of("namespace", "mountpoint", "flavor");
    private static final Set<String> DATAMOVER = Set.of("name", "trigger", "target", "operation", "elements");
    private static final Set<String> STEP = Set.of(
            "name",
            "location",
            "command",
            "template",
            "services",
            "datamovers",
            "after",
            "parameters",
            "walltime",
            "retries",
            "throttle",
            "description");
    private static final Set<String> SERVICE_USE = Set.of("name", "datamovers");
    private static final Set<String> RANGE = Set.of("start", "step", "count");
    private static final Map<String, Trigger> TRIGGERS =
            Map.of("step_start", Trigger.STEP_START, "step_stop", Trigger.STEP_STOP);
    private static final Map<String, Operation> OPERATIONS = Map.of("copy", Operation.COPY, "move", Operation.MOVE);

    private final Predicate<String> templateExists;
    private final Predicate<String> tierExists;
    private final Predicate<String> locationExists;
    private final CommandPolicy commands;

    /**
     * @param templateExists whether a template of that relative path exists
     * @param tierExists     whether a storage tier of that name exists (a data mover's target)
     * @param locationExists whether a location of that name exists (where a step runs)
     */
    public WdfParser(
            Predicate<String> templateExists,
            Predicate<String> tierExists,
            Predicate<String> locationExists,
            CommandPolicy commands) {
        this.templateExists = templateExists;
        this.tierExists = tierExists;
        this.locationExists = locationExists;
        this.commands = commands;
    }

    /** A parser of a site whose steps may run sbatch with its built-in options ({@link CommandPolicy#SBATCH_ONLY}). */
    public WdfParser(Predicate<String> templateExists, Predicate<String> tierExists, Predicate<String> locationExists) {
        this(templateExists, tierExists, locationExists, CommandPolicy.SBATCH_ONLY);
    }

    /**
     * @param file         for errors, e.g. {@code workflows/my.yaml}
     * @param variables    the values of {@code {{ NAME }}} (session variables, SESSION)
     * @param lenientSteps whether variables undefined in the steps section are left for run time
     * @throws WdfError with every error found
     */
    public Wdf parse(String file, String text, Map<String, String> variables, boolean lenientSteps) {
        WdfVariables values = new WdfVariables(variables, lenientSteps);
        YamlReader r = new YamlReader(file, values);
        Node root = r.compose(text);
        Fields top = root == null ? null : r.mapping(root, "", TOP);
        if (top == null) {
            throw new WdfError(r.errors().byLine());
        }
        String name = workflowName(r, top);
        List<WdfService> services = services(r, top.get("services"));
        List<DataMover> dataMovers = dataMovers(r, top.get("datamovers"));
        List<WdfStep> steps = steps(r, values, top, services, dataMovers);
        if (!r.errors().isEmpty()) {
            throw new WdfError(r.errors().byLine());
        }
        return new Wdf(name, services, dataMovers, steps, values.deferredVariables());
    }

    private static String workflowName(YamlReader r, Fields top) {
        Node node = r.required(top, "workflow", "workflow");
        Fields w = node == null ? null : r.mapping(node, "workflow", WORKFLOW);
        if (w == null) {
            return null;
        }
        if (w.has("description")) {
            r.string(w.get("description"), "workflow.description");
        }
        Node name = r.required(w, "name", "workflow.name");
        return name == null ? null : r.name(name, "workflow.name");
    }

    private static List<WdfService> services(YamlReader r, Node section) {
        List<WdfService> services = new ArrayList<>();
        for (Named s : named(r, section, "services", SERVICE)) {
            Node typeNode = r.required(s.fields(), "type", s.path() + ".type");
            String type = typeNode == null ? null : r.name(typeNode, s.path() + ".type");
            String namespace = null;
            String mountpoint = null;
            String flavor = null;
            String at = s.path() + ".attributes";
            Fields a = s.fields().has("attributes") ? r.mapping(s.fields().get("attributes"), at, ATTRIBUTES) : null;
            if (a != null) {
                namespace = a.has("namespace") ? r.string(a.get("namespace"), at + ".namespace") : null;
                flavor = a.has("flavor") ? r.string(a.get("flavor"), at + ".flavor") : null;
                mountpoint = a.has("mountpoint") ? r.string(a.get("mountpoint"), at + ".mountpoint") : null;
                if (mountpoint != null && (!mountpoint.startsWith("/") || dotDot(mountpoint))) {
                    r.error(
                            a.get("mountpoint"),
                            at + ".mountpoint",
                            "'" + mountpoint + "' must be an absolute path without '..'");
                }
            }
            services.add(new WdfService(s.name(), type, namespace, mountpoint, flavor));
        }
        return List.copyOf(services);
    }

    private List<DataMover> dataMovers(YamlReader r, Node section) {
        List<DataMover> movers = new ArrayList<>();
        for (Named d : named(r, section, "datamovers", DATAMOVER)) {
            Trigger trigger = choice(r, d, "trigger", TRIGGERS);
            Operation operation = choice(r, d, "operation", OPERATIONS);
            Node targetNode = r.required(d.fields(), "target", d.path() + ".target");
            String target = targetNode == null ? null : r.string(targetNode, d.path() + ".target");
            if (target != null && !tierExists.test(target)) {
                r.error(targetNode, d.path() + ".target", "unknown storage tier '" + target + "'");
            }
            String field = d.path() + ".elements";
            Node elementsNode = r.required(d.fields(), "elements", field);
            List<Node> elementNodes = r.oneOrMany(elementsNode, field);
            if (elementsNode != null && elementNodes.isEmpty()) {
                r.error(elementsNode, field, "at least one element is needed");
            }
            List<String> elements = new ArrayList<>();
            for (Node n : elementNodes) {
                String element = r.string(n, field);
                String problem = element == null ? null : elementProblem(element);
                if (problem != null) {
                    r.error(n, field, "'" + element + "' " + problem);
                } else if (element != null) {
                    elements.add(element);
                }
            }
            movers.add(new DataMover(d.name(), trigger, target, operation, List.copyOf(elements)));
        }
        return List.copyOf(movers);
    }

    /** Why an element is not a relative glob, or null. */
    private static String elementProblem(String element) {
        if (element.startsWith("/")) {
            return "must be a relative path";
        }
        if (element.startsWith("-")) {
            return "must not start with '-'";
        }
        if (dotDot(element)) {
            return "must not contain a '..' path segment";
        }
        if (!ELEMENT.matcher(element).matches()) {
            return "is not a valid element (letters, digits and ._/*?[]+=,@- only)";
        }
        return null;
    }

    /** The value of a required key that must be one of {@code choices}, or null (reported). */
    private static <E> E choice(YamlReader r, Named d, String key, Map<String, E> choices) {
        String field = d.path() + "." + key;
        Node node = r.required(d.fields(), key, field);
        return node == null ? null : r.choice(node, field, key, choices);
    }

    private List<WdfStep> steps(
            YamlReader r, WdfVariables values, Fields top, List<WdfService> services, List<DataMover> dataMovers) {
        Node section = r.required(top, "steps", "steps");
        if (section == null) {
            return List.of();
        }
        if (YamlReader.isNull(section)
                || section instanceof SequenceNode s && s.getValue().isEmpty()) {
            r.error(section, "steps", "a workflow needs at least one step");
            return List.of();
        }
        if (section instanceof SequenceNode s && s.getValue().size() > StepGraph.MAX_STEPS) {
            r.error(section, "steps", s.getValue().size() + " steps (at most " + StepGraph.MAX_STEPS + ")");
            return List.of();
        }
        List<Named> named = named(r, section, "steps", STEP);
        Set<String> stepNames = named.stream().map(Named::name).collect(Collectors.toSet());
        Set<String> serviceNames = services.stream().map(WdfService::name).collect(Collectors.toSet());
        Set<String> moverNames = dataMovers.stream().map(DataMover::name).collect(Collectors.toSet());
        Map<String, Integer> afterLines = new HashMap<>();
        List<WdfStep> steps = new ArrayList<>();
        for (Named s : named) {
            values.enterStep(s.name());
            steps.add(step(r, s, stepNames, serviceNames, moverNames, afterLines));
            values.leaveStep();
        }
        checkCycles(r, steps, afterLines);
        return List.copyOf(steps);
    }

    private WdfStep step(
            YamlReader r,
            Named s,
            Set<String> stepNames,
            Set<String> serviceNames,
            Set<String> moverNames,
            Map<String, Integer> afterLines) {
        Fields f = s.fields();
        String p = s.path();
        List<String> location = new ArrayList<>();
        for (Node n : r.oneOrMany(f.get("location"), p + ".location")) {
            String l = r.string(n, p + ".location");
            if (l != null && !r.deferred(n, l) && !locationExists.test(l)) {
                r.error(n, p + ".location", "unknown location '" + l + "'");
            } else if (l != null) {
                location.add(l);
            }
        }
        if (f.has("command") && f.has("template")) {
            r.error(f.key("template"), p + ".template", "a step has a command or a template, not both");
        } else if (!f.has("command") && !f.has("template")) {
            r.error(f.node(), p, "a step needs a command or a template");
        }
        String command = f.has("command") ? r.string(f.get("command"), p + ".command") : null;
        if (command != null && command.isBlank()) {
            r.error(f.get("command"), p + ".command", "must not be empty");
        }
        String template = f.has("template") ? r.string(f.get("template"), p + ".template") : null;
        if (template != null && !r.deferred(f.get("template"), template)) {
            if (template.isEmpty() || template.startsWith("/") || dotDot(template)) {
                r.error(f.get("template"), p + ".template", "'" + template + "' must be a relative path without '..'");
            } else if (!templateExists.test(template)) {
                r.error(f.get("template"), p + ".template", "unknown template '" + template + "'");
            }
        }
        List<Use> uses = serviceUses(r, f.get("services"), p + ".services", serviceNames, moverNames);
        if (f.has("datamovers")) {
            List<String> movers = dataMoverNames(r, f.get("datamovers"), p + ".datamovers", moverNames);
            if (!f.has("services")
                    || YamlReader.isNull(f.get("services"))
                    || f.get("services") instanceof SequenceNode seq
                            && seq.getValue().isEmpty()) {
                r.error(f.key("datamovers"), p + ".datamovers", "a step without services cannot have data movers");
            } else if (!uses.isEmpty()) {
                uses.get(0).dataMovers().addAll(movers);
            }
        }
        List<String> after = new ArrayList<>();
        if (f.has("after")) {
            afterLines.put(s.name(), YamlReader.line(f.key("after")));
            for (Node n : r.oneOrMany(f.get("after"), p + ".after")) {
                String a = r.string(n, p + ".after");
                if (a != null && !r.deferred(n, a) && !stepNames.contains(a)) {
                    r.error(n, p + ".after", "unknown step '" + a + "'");
                }
                if (a != null) {
                    after.add(a);
                }
            }
        }
        List<String> parameters = f.has("parameters") ? parameters(r, f.get("parameters"), p + ".parameters") : null;
        if (command != null && !command.isBlank() && !r.deferred(f.get("command"), command)) {
            checkCommand(r, f.get("command"), p + ".command", command, parameters);
        }
        Duration walltime = f.has("walltime") ? r.duration(f.get("walltime"), p + ".walltime") : null;
        // as in pipelines: how often a failed job of the step is submitted again
        Integer retries = f.has("retries") ? r.integer(f.get("retries"), p + ".retries", 0, 99, "a number") : null;
        // SLURM's --array=...%k: at most k tasks of each of the step's arrays run at once
        Integer throttle = f.has("throttle")
                ? r.integer(f.get("throttle"), p + ".throttle", 1, MAX_PARAMETERS, "a count of jobs at once")
                : null;
        if (throttle != null && !f.has("parameters")) {
            r.error(f.key("throttle"), p + ".throttle", "only a step with parameters runs as an array to throttle");
        } else if (throttle != null && command != null && StepCommand.parametrised(command)) {
            r.error(
                    f.key("throttle"),
                    p + ".throttle",
                    "a command using %s or %n is submitted once per value, not as an array to throttle");
        }
        if (f.has("description")) {
            r.string(f.get("description"), p + ".description");
        }
        return new WdfStep(
                s.name(),
                List.copyOf(location),
                command,
                template,
                uses.stream()
                        .map(u -> new ServiceUse(u.name(), u.access(), List.copyOf(u.dataMovers())))
                        .toList(),
                List.copyOf(after),
                parameters,
                walltime,
                retries == null ? 0 : retries,
                throttle);
    }

    /**
     * The command as it will run, checked now (not only when the step runs): with each of its
     * parameter values, as one may be an option.
     */
    private void checkCommand(YamlReader r, Node node, String field, String command, List<String> parameters) {
        try {
            if (parameters == null || !StepCommand.parametrised(command)) {
                StepCommand.argv(command, commands, parameters == null ? null : "0", 0);
            } else {
                for (int i = 0; i < parameters.size(); i++) {
                    StepCommand.argv(command, commands, parameters.get(i), i);
                }
            }
        } catch (IllegalArgumentException e) {
            r.error(node, field, e.getMessage());
        }
    }

    /** A service use being read: its data movers may still grow (step-level {@code datamovers}). */
    private record Use(String name, Access access, List<String> dataMovers) {}

    /** {@code - name: "<service> [RO|RW]"} with optional {@code datamovers}; broken ones are reported and left out. */
    private static List<Use> serviceUses(
            YamlReader r, Node section, String field, Set<String> serviceNames, Set<String> moverNames) {
        List<Use> uses = new ArrayList<>();
        Set<String> used = new HashSet<>();
        List<Node> items = r.list(section, field);
        for (int i = 0; i < items.size(); i++) {
            String at = field + "[" + i + "]";
            MappingNode m = r.asMapping(items.get(i), at);
            Node nameNode = m == null ? null : value(m, "name");
            if (m != null && nameNode == null) {
                r.error(m, at + ".name", "required but missing");
            }
            String text = nameNode == null ? null : r.string(nameNode, at + ".name");
            if (text == null) {
                continue;
            }
            List<String> words =
                    WORD.matcher(text).results().map(MatchResult::group).toList();
            if (words.isEmpty() || words.size() > 2) {
                r.error(nameNode, at + ".name", "'" + text + "' is not '<service> [RO|RW]'");
                continue;
            }
            String service = words.get(0);
            boolean pending = r.deferred(nameNode, service);
            if (!pending && !YamlReader.NAME.matcher(service).matches()) {
                r.error(nameNode, at + ".name", "'" + service + "' is not a valid name");
                continue;
            }
            String path = field + "." + service;
            Fields f = r.fields(m, path, SERVICE_USE);
            Access access = Access.RW;
            if (words.size() == 2) {
                String mode = words.get(1);
                if (mode.equals("RO") || mode.equals("RW")) {
                    access = Access.valueOf(mode);
                } else if (!r.deferred(nameNode, mode)) {
                    r.error(nameNode, path, "unknown access mode '" + mode + "' (expected RO or RW)");
                }
            }
            if (!pending && !serviceNames.contains(service)) {
                r.error(nameNode, path, "unknown service '" + service + "'");
            }
            if (!used.add(service)) {
                r.error(nameNode, path, "given twice");
                continue;
            }
            List<String> movers = f.has("datamovers")
                    ? dataMoverNames(r, f.get("datamovers"), path + ".datamovers", moverNames)
                    : List.of();
            uses.add(new Use(service, access, new ArrayList<>(movers)));
        }
        return uses;
    }

    private static List<String> dataMoverNames(YamlReader r, Node node, String field, Set<String> moverNames) {
        List<String> names = new ArrayList<>();
        for (Node n : r.oneOrMany(node, field)) {
            String name = r.string(n, field);
            if (name != null && !r.deferred(n, name) && !moverNames.contains(name)) {
                r.error(n, field, "unknown data mover '" + name + "'");
            } else if (name != null) {
                names.add(name);
            }
        }
        return names;
    }

    /**
     * A list of values, or {@code start}, {@code step} (default 1) and {@code count}; null when broken
     * (reported), empty when it waits for a deferred variable.
     */
    private static List<String> parameters(YamlReader r, Node node, String field) {
        if (node instanceof SequenceNode seq) {
            if (seq.getValue().isEmpty() || seq.getValue().size() > MAX_PARAMETERS) {
                r.error(node, field, "from 1 to " + MAX_PARAMETERS + " values are needed");
                return null;
            }
            List<String> values = new ArrayList<>();
            for (Node n : r.list(node, field)) {
                String v = r.string(n, field);
                if (v != null && !r.deferred(n, v) && !PARAMETER.matcher(v).matches()) {
                    r.error(
                            n,
                            field,
                            "'" + v + "' is not a valid parameter value (1 to 256 letters, digits and _.+:=,@/-)");
                } else if (v != null) {
                    values.add(v);
                }
            }
            return List.copyOf(values);
        }
        if (!(node instanceof MappingNode)) {
            r.error(node, field, "expected a list or a mapping (start, step, count)");
            return null;
        }
        Fields range = r.mapping(node, field, RANGE);
        if (range == null) {
            return null;
        }
        Node startNode = r.required(range, "start", field + ".start");
        Node countNode = r.required(range, "count", field + ".count");
        BigDecimal start = startNode == null ? null : number(r, startNode, field + ".start");
        BigDecimal step = range.has("step") ? number(r, range.get("step"), field + ".step") : BigDecimal.ONE;
        Integer count = countNode == null ? null : r.integer(countNode, field + ".count", 1, MAX_PARAMETERS, "a count");
        if (Stream.of(startNode, range.get("step"), countNode).anyMatch(r::deferred)) {
            return List.of(); // the values are known at run time
        }
        if (start == null || step == null || count == null) {
            return null;
        }
        List<String> values = new ArrayList<>();
        BigDecimal value = start;
        for (int i = 0; i < count; i++) {
            values.add(value.stripTrailingZeros().toPlainString());
            value = value.add(step);
        }
        return List.copyOf(values);
    }

    /** A number (integer or decimal), or null: reported, or waiting for a deferred variable. */
    private static BigDecimal number(YamlReader r, Node node, String field) {
        String text = r.matching(node, field, NUMBER, "a number");
        return text == null || r.deferred(node) ? null : new BigDecimal(text);
    }

    /** Following {@code after} never comes back; each cycle is reported once, at the {@code after} of its first step. */
    private static void checkCycles(YamlReader r, List<WdfStep> steps, Map<String, Integer> afterLines) {
        Map<String, List<String>> after = new LinkedHashMap<>();
        steps.forEach(s -> after.put(s.name(), s.after()));
        for (List<String> path : StepGraph.cycles(after)) {
            r.error(
                    afterLines.get(path.get(0)),
                    "steps." + path.get(0) + ".after",
                    "cycle: " + String.join(" -> ", path));
        }
    }

    /** An element of a list section: a mapping with a valid name, given once. */
    private record Named(String name, String path, Fields fields) {}

    /**
     * The elements of a list section ({@code services}, {@code datamovers}, {@code steps}), each a
     * mapping with a unique valid {@code name}; the path of an element is {@code section.name}. Broken
     * elements are reported and left out. Names are read before any step, so strictly.
     */
    private static List<Named> named(YamlReader r, Node section, String field, Set<String> allowed) {
        List<Named> result = new ArrayList<>();
        Map<String, Integer> firstLines = new HashMap<>();
        List<Node> items = r.list(section, field);
        for (int i = 0; i < items.size(); i++) {
            String at = field + "[" + i + "]";
            MappingNode m = r.asMapping(items.get(i), at);
            if (m == null) {
                continue;
            }
            Node nameNode = value(m, "name");
            if (nameNode == null) {
                r.error(m, at + ".name", "required but missing");
                continue;
            }
            String name = r.name(nameNode, at + ".name");
            if (name == null) {
                continue;
            }
            Integer first = firstLines.putIfAbsent(name, YamlReader.line(nameNode));
            if (first != null) {
                r.error(nameNode, field + "." + name, "given twice (first at line " + first + ")");
                continue;
            }
            result.add(new Named(name, field + "." + name, r.fields(m, field + "." + name, allowed)));
        }
        return result;
    }

    /** The value of the first {@code key} of a mapping, or null. */
    private static Node value(MappingNode m, String key) {
        return m.getValue().stream()
                .filter(t ->
                        t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key))
                .map(NodeTuple::getValueNode)
                .findFirst()
                .orElse(null);
    }

    private static boolean dotDot(String path) {
        return Arrays.asList(path.split("/")).contains("..");
    }
}
