package io.automatix.workflow;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.automatix.process.StepGraph;
import io.automatix.process.Walltime;
import io.automatix.process.YamlDepth;
import io.automatix.workflow.DataMover.Operation;
import io.automatix.workflow.DataMover.Trigger;
import io.automatix.workflow.WdfStep.Access;
import io.automatix.workflow.WdfStep.ServiceUse;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Reads an IOSEA workflow description file (WDF) strictly, like {@code PipelineParser}, but collects
 * every error instead of stopping at the first: unknown keys, wrong types, unknown services, data
 * movers, storage tiers, locations, templates and steps, cycles and undefined variables are reported
 * together in one {@link WdfError}, each as {@code file:line: field: reason}.
 *
 * <p>{@code {{ NAME }}} in any value (not in keys) is replaced by the caller's variable of that name,
 * once (replaced values are not scanned again); inside a step, after its name, {@code {{ STEP }}} is the
 * step's name. Leniently read ({@code lenientSteps}), a variable undefined inside the steps section is
 * left in the text and recorded in {@link Wdf#deferredVariables()}, and the checks of the values that
 * contain it are left to the strict read at run time: that result is provisional.
 */
public final class WdfParser {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\}\\}");
    /** A word of a service use ({@code es1 RO}), a {@code {{ VAR }}} counting as part of one. */
    private static final Pattern WORD = Pattern.compile("(?:\\{\\{\\s*[A-Za-z_][A-Za-z0-9_]*\\s*\\}\\}|\\S)+");

    private static final Pattern ELEMENT = Pattern.compile("[A-Za-z0-9._/*?\\[\\]+=,@-]+");
    private static final Pattern PARAMETER = Pattern.compile("[A-Za-z0-9_.+:=,@/-]{1,256}");
    private static final Pattern NUMBER = Pattern.compile("[+-]?\\d{1,15}(\\.\\d{1,15})?");
    private static final int MAX_PARAMETERS = 10_000;
    /** More steps would make the cycle check recurse too deep; no real workflow comes near. */
    static final int MAX_STEPS = 1000;

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
            "description");
    private static final Set<String> SERVICE_USE = Set.of("name", "datamovers");
    private static final Set<String> RANGE = Set.of("start", "step", "count");
    private static final Map<String, Trigger> TRIGGERS =
            Map.of("step_start", Trigger.STEP_START, "step_stop", Trigger.STEP_STOP);
    private static final Map<String, Operation> OPERATIONS = Map.of("copy", Operation.COPY, "move", Operation.MOVE);

    private final Predicate<String> templateExists;
    private final Predicate<String> tierExists;
    private final Predicate<String> locationExists;

    /**
     * @param templateExists whether a template of that relative path exists
     * @param tierExists     whether a storage tier of that name exists (a data mover's target)
     * @param locationExists whether a location of that name exists (where a step runs)
     */
    public WdfParser(Predicate<String> templateExists, Predicate<String> tierExists, Predicate<String> locationExists) {
        this.templateExists = templateExists;
        this.tierExists = tierExists;
        this.locationExists = locationExists;
    }

    /**
     * @param file         for errors, e.g. {@code workflows/my.yaml}
     * @param variables    the values of {@code {{ NAME }}} (session variables, SESSION)
     * @param lenientSteps whether variables undefined in the steps section are left for run time
     * @throws WdfError with every error found
     */
    public Wdf parse(String file, String text, Map<String, String> variables, boolean lenientSteps) {
        Node root = compose(file, text);
        Reader r = new Reader(file, variables == null ? Map.of() : variables, lenientSteps);
        Fields top = r.mapping(root, "", TOP);
        if (top == null) {
            throw new WdfError(r.messages());
        }
        String name = workflowName(r, top);
        List<WdfService> services = services(r, top.get("services"));
        List<DataMover> dataMovers = dataMovers(r, top.get("datamovers"));
        List<WdfStep> steps = steps(r, top, services, dataMovers);
        if (!r.errors.isEmpty()) {
            throw new WdfError(r.messages());
        }
        return new Wdf(name, services, dataMovers, steps, r.deferredVariables());
    }

    private static Node compose(String file, String text) {
        try {
            LoadSettings settings = LoadSettings.builder().setLabel(file).build();
            YamlDepth.tooDeep(text, settings).ifPresent(line -> {
                throw new WdfError(List.of(file + ":" + line + ": nested deeper than " + YamlDepth.MAX + " levels"));
            });
            return new Compose(settings)
                    .composeString(text)
                    .orElseThrow(() -> new WdfError(List.of(file + ":1: the file is empty")));
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(1);
            throw new WdfError(List.of(file + ":" + line + ": not valid YAML: " + e.getProblem()));
        } catch (YamlEngineException e) {
            throw new WdfError(List.of(file + ":1: not valid YAML: " + e.getMessage()));
        }
    }

    private static String workflowName(Reader r, Fields top) {
        Node node = r.required(top, "workflow", "workflow");
        Fields w = node == null ? null : r.mapping(node, "workflow", WORKFLOW);
        if (w == null) {
            return null;
        }
        if (w.has("description")) {
            r.text(w.get("description"), "workflow.description");
        }
        Node name = r.required(w, "name", "workflow.name");
        return name == null ? null : r.name(name, "workflow.name");
    }

    private static List<WdfService> services(Reader r, Node section) {
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
                namespace = a.has("namespace") ? r.text(a.get("namespace"), at + ".namespace") : null;
                flavor = a.has("flavor") ? r.text(a.get("flavor"), at + ".flavor") : null;
                mountpoint = a.has("mountpoint") ? r.text(a.get("mountpoint"), at + ".mountpoint") : null;
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

    private List<DataMover> dataMovers(Reader r, Node section) {
        List<DataMover> movers = new ArrayList<>();
        for (Named d : named(r, section, "datamovers", DATAMOVER)) {
            Trigger trigger = choice(r, d, "trigger", TRIGGERS);
            Operation operation = choice(r, d, "operation", OPERATIONS);
            Node targetNode = r.required(d.fields(), "target", d.path() + ".target");
            String target = targetNode == null ? null : r.text(targetNode, d.path() + ".target");
            if (target != null && !tierExists.test(target)) {
                r.error(targetNode, d.path() + ".target", "unknown storage tier '" + target + "'");
            }
            String field = d.path() + ".elements";
            Node elementsNode = r.required(d.fields(), "elements", field);
            List<Node> elementNodes = r.scalars(elementsNode, field);
            if (elementsNode != null && elementNodes.isEmpty()) {
                r.error(elementsNode, field, "at least one element is needed");
            }
            List<String> elements = new ArrayList<>();
            for (Node n : elementNodes) {
                String element = r.text(n, field);
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
    private static <E> E choice(Reader r, Named d, String key, Map<String, E> choices) {
        String field = d.path() + "." + key;
        Node node = r.required(d.fields(), key, field);
        String value = node == null ? null : r.text(node, field);
        if (value == null) {
            return null;
        }
        E choice = choices.get(value);
        if (choice == null) {
            r.error(
                    node,
                    field,
                    "unknown " + key + " '" + value + "' (expected one of "
                            + choices.keySet().stream().sorted().toList() + ")");
        }
        return choice;
    }

    private List<WdfStep> steps(Reader r, Fields top, List<WdfService> services, List<DataMover> dataMovers) {
        Node section = r.required(top, "steps", "steps");
        if (section == null) {
            return List.of();
        }
        if (isNull(section) || section instanceof SequenceNode s && s.getValue().isEmpty()) {
            r.error(section, "steps", "a workflow needs at least one step");
            return List.of();
        }
        if (section instanceof SequenceNode s && s.getValue().size() > MAX_STEPS) {
            r.error(section, "steps", s.getValue().size() + " steps (at most " + MAX_STEPS + ")");
            return List.of();
        }
        List<Named> named = named(r, section, "steps", STEP);
        Set<String> stepNames = named.stream().map(Named::name).collect(Collectors.toSet());
        Set<String> serviceNames = services.stream().map(WdfService::name).collect(Collectors.toSet());
        Set<String> moverNames = dataMovers.stream().map(DataMover::name).collect(Collectors.toSet());
        Map<String, Integer> afterLines = new HashMap<>();
        List<WdfStep> steps = new ArrayList<>();
        for (Named s : named) {
            r.step = s.name();
            steps.add(step(r, s, stepNames, serviceNames, moverNames, afterLines));
            r.step = null;
        }
        checkCycles(r, steps, afterLines);
        return List.copyOf(steps);
    }

    private WdfStep step(
            Reader r,
            Named s,
            Set<String> stepNames,
            Set<String> serviceNames,
            Set<String> moverNames,
            Map<String, Integer> afterLines) {
        Fields f = s.fields();
        String p = s.path();
        List<String> location = new ArrayList<>();
        for (Node n : r.scalars(f.get("location"), p + ".location")) {
            String l = r.text(n, p + ".location");
            if (l != null && !r.pending(n, l) && !locationExists.test(l)) {
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
        String command = f.has("command") ? r.text(f.get("command"), p + ".command") : null;
        if (command != null && command.isBlank()) {
            r.error(f.get("command"), p + ".command", "must not be empty");
        }
        String template = f.has("template") ? r.text(f.get("template"), p + ".template") : null;
        if (template != null && !r.pending(f.get("template"), template)) {
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
                    || isNull(f.get("services"))
                    || f.get("services") instanceof SequenceNode seq
                            && seq.getValue().isEmpty()) {
                r.error(f.key("datamovers"), p + ".datamovers", "a step without services cannot have data movers");
            } else if (!uses.isEmpty()) {
                uses.get(0).dataMovers().addAll(movers);
            }
        }
        List<String> after = new ArrayList<>();
        if (f.has("after")) {
            afterLines.put(s.name(), line(f.key("after")));
            for (Node n : r.scalars(f.get("after"), p + ".after")) {
                String a = r.text(n, p + ".after");
                if (a != null && !r.pending(n, a) && !stepNames.contains(a)) {
                    r.error(n, p + ".after", "unknown step '" + a + "'");
                }
                if (a != null) {
                    after.add(a);
                }
            }
        }
        List<String> parameters = f.has("parameters") ? parameters(r, f.get("parameters"), p + ".parameters") : null;
        Duration walltime = null;
        String w = f.has("walltime") ? r.text(f.get("walltime"), p + ".walltime") : null;
        if (w != null && !r.pending(f.get("walltime"), w)) {
            try {
                walltime = Walltime.parse(w);
            } catch (IllegalArgumentException e) {
                r.error(f.get("walltime"), p + ".walltime", e.getMessage());
            } catch (ArithmeticException e) { // more days than a Duration holds
                r.error(f.get("walltime"), p + ".walltime", "'" + w + "' is too long a walltime");
            }
        }
        if (f.has("description")) {
            r.text(f.get("description"), p + ".description");
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
                walltime);
    }

    /** A service use being read: its data movers may still grow (step-level {@code datamovers}). */
    private record Use(String name, Access access, List<String> dataMovers) {}

    /** {@code - name: "<service> [RO|RW]"} with optional {@code datamovers}; broken ones are reported and left out. */
    private static List<Use> serviceUses(
            Reader r, Node section, String field, Set<String> serviceNames, Set<String> moverNames) {
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
            String text = nameNode == null ? null : r.text(nameNode, at + ".name");
            if (text == null) {
                continue;
            }
            List<String> words = WORD.matcher(text)
                    .results()
                    .map(java.util.regex.MatchResult::group)
                    .toList();
            if (words.isEmpty() || words.size() > 2) {
                r.error(nameNode, at + ".name", "'" + text + "' is not '<service> [RO|RW]'");
                continue;
            }
            String service = words.get(0);
            boolean pending = r.pending(nameNode, service);
            if (!pending && !NAME.matcher(service).matches()) {
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
                } else if (!r.pending(nameNode, mode)) {
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

    private static List<String> dataMoverNames(Reader r, Node node, String field, Set<String> moverNames) {
        List<String> names = new ArrayList<>();
        for (Node n : r.scalars(node, field)) {
            String name = r.text(n, field);
            if (name != null && !r.pending(n, name) && !moverNames.contains(name)) {
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
    private static List<String> parameters(Reader r, Node node, String field) {
        if (node instanceof SequenceNode seq) {
            if (seq.getValue().isEmpty() || seq.getValue().size() > MAX_PARAMETERS) {
                r.error(node, field, "from 1 to " + MAX_PARAMETERS + " values are needed");
                return null;
            }
            List<String> values = new ArrayList<>();
            for (Node n : seq.getValue()) {
                String v = r.text(n, field);
                if (v != null && !r.pending(n, v) && !PARAMETER.matcher(v).matches()) {
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
        Node startNode = r.required(range, "start", field + ".start");
        Node countNode = r.required(range, "count", field + ".count");
        BigDecimal start = startNode == null ? null : number(r, startNode, field + ".start");
        BigDecimal step = range.has("step") ? number(r, range.get("step"), field + ".step") : BigDecimal.ONE;
        Integer count = null;
        String c = countNode == null ? null : r.text(countNode, field + ".count");
        if (c != null && !r.pending(countNode, c)) {
            if (c.matches("\\d{1,5}") && Integer.parseInt(c) >= 1 && Integer.parseInt(c) <= MAX_PARAMETERS) {
                count = Integer.parseInt(c);
            } else {
                r.error(countNode, field + ".count", "'" + c + "' is not a count from 1 to " + MAX_PARAMETERS);
            }
        }
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
    private static BigDecimal number(Reader r, Node node, String field) {
        String text = r.text(node, field);
        if (text == null || r.pending(node, text)) {
            return null;
        }
        if (!NUMBER.matcher(text).matches()) {
            r.error(node, field, "'" + text + "' is not a number");
            return null;
        }
        return new BigDecimal(text);
    }

    /** Following {@code after} never comes back; each cycle is reported once, at the {@code after} of its first step. */
    private static void checkCycles(Reader r, List<WdfStep> steps, Map<String, Integer> afterLines) {
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
    private static List<Named> named(Reader r, Node section, String field, Set<String> allowed) {
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
            Integer first = firstLines.putIfAbsent(name, line(nameNode));
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

    /** {@code key:} with nothing after it. */
    private static boolean isNull(Node node) {
        return node instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
    }

    private static int line(Node node) {
        return node == null ? 1 : node.getStartMark().map(m -> m.getLine() + 1).orElse(1);
    }

    private record Error(int line, String message) {}

    /** The keys of a mapping (each given once, known) with their nodes. */
    private record Fields(MappingNode node, Map<String, NodeTuple> tuples) {

        boolean has(String key) {
            return tuples.containsKey(key);
        }

        Node get(String key) {
            NodeTuple t = tuples.get(key);
            return t == null ? null : t.getValueNode();
        }

        Node key(String key) {
            NodeTuple t = tuples.get(key);
            return t == null ? null : t.getKeyNode();
        }
    }

    /**
     * Typed access to the node tree, with the variables substituted. A failure is appended to
     * {@code errors} at the node's line and the method returns null (or an empty list) so that
     * reading goes on.
     */
    private static final class Reader {

        private final String file;
        private final Map<String, String> variables;
        private final boolean lenient;
        private final List<Error> errors = new ArrayList<>();
        private final Map<String, Set<String>> deferred = new LinkedHashMap<>();
        private final Set<Node> deferredNodes = Collections.newSetFromMap(new IdentityHashMap<>());
        /** The step being read (after its name): defines STEP and, when lenient, defers undefined variables. */
        private String step;

        Reader(String file, Map<String, String> variables, boolean lenient) {
            this.file = file;
            this.variables = variables;
            this.lenient = lenient;
        }

        void error(Node node, String field, String reason) {
            error(line(node), field, reason);
        }

        void error(int line, String field, String reason) {
            errors.add(new Error(
                    line, file + ":" + line + ": " + (field == null || field.isEmpty() ? "" : field + ": ") + reason));
        }

        /** The errors in the order of their lines (those of one line in the order found). */
        List<String> messages() {
            return errors.stream()
                    .sorted(Comparator.comparingInt(Error::line))
                    .map(Error::message)
                    .toList();
        }

        /** The value of a required key, or null (reported at the mapping's line). */
        Node required(Fields fields, String key, String field) {
            if (!fields.has(key)) {
                error(fields.node(), field, "required but missing");
            }
            return fields.get(key);
        }

        MappingNode asMapping(Node node, String field) {
            if (node instanceof MappingNode m) {
                return m;
            }
            error(node, field, "expected a mapping");
            return null;
        }

        Fields mapping(Node node, String field, Set<String> allowed) {
            MappingNode m = asMapping(node, field);
            return m == null ? null : fields(m, field, allowed);
        }

        /** The keys of a mapping; unknown keys and keys given twice are reported and left out. */
        Fields fields(MappingNode m, String field, Set<String> allowed) {
            Map<String, NodeTuple> result = new LinkedHashMap<>();
            for (NodeTuple t : m.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode k)) {
                    error(t.getKeyNode(), field, "expected a single value as key");
                    continue;
                }
                String key = k.getValue();
                String path = field.isEmpty() ? key : field + "." + key;
                if (allowed != null && !allowed.contains(key)) {
                    error(
                            k,
                            path,
                            "unknown key (expected one of "
                                    + allowed.stream().sorted().toList() + ")");
                } else if (result.putIfAbsent(key, t) != null) {
                    error(k, path, "given twice");
                }
            }
            return new Fields(m, result);
        }

        /** A list; an absent or empty value is an empty list. */
        List<Node> list(Node node, String field) {
            if (node == null || isNull(node)) {
                return List.of();
            }
            if (node instanceof SequenceNode s) {
                return s.getValue();
            }
            error(node, field, "expected a list");
            return List.of();
        }

        /** A single value or a list of them ({@code after: A} is {@code after: [A]}); absent is empty. */
        List<Node> scalars(Node node, String field) {
            if (node == null) {
                return List.of();
            }
            if (node instanceof SequenceNode s) {
                return s.getValue();
            }
            if (node instanceof ScalarNode) {
                return List.of(node);
            }
            error(node, field, "expected a single value or a list");
            return List.of();
        }

        /** A single value with its variables substituted, or null (reported). */
        String text(Node node, String field) {
            if (!(node instanceof ScalarNode s)) {
                error(node, field, "expected a single value");
                return null;
            }
            if (isNull(s)) {
                error(node, field, "a value is required");
                return null;
            }
            Matcher m = VARIABLE.matcher(s.getValue());
            StringBuilder out = new StringBuilder();
            boolean ok = true;
            while (m.find()) {
                String name = m.group(1);
                String value = step != null && name.equals("STEP") ? step : variables.get(name);
                if (value != null) {
                    m.appendReplacement(out, Matcher.quoteReplacement(value));
                } else if (lenient && step != null) {
                    m.appendReplacement(out, Matcher.quoteReplacement(m.group()));
                    deferred.computeIfAbsent(step, k -> new LinkedHashSet<>()).add(name);
                    deferredNodes.add(node);
                } else {
                    error(node, field, "undefined variable '" + name + "'");
                    ok = false;
                }
            }
            m.appendTail(out);
            return ok ? out.toString() : null;
        }

        String name(Node node, String field) {
            String value = text(node, field);
            if (value != null && !NAME.matcher(value).matches()) {
                error(node, field, "'" + value + "' is not a valid name");
                return null;
            }
            return value;
        }

        /** Whether the node's value kept a variable for run time. */
        boolean deferred(Node node) {
            return node != null && deferredNodes.contains(node);
        }

        /** Whether {@code part} of the node's value holds a variable kept for run time (its checks wait for then). */
        boolean pending(Node node, String part) {
            return deferred(node) && VARIABLE.matcher(part).find();
        }

        Map<String, Set<String>> deferredVariables() {
            Map<String, Set<String>> copy = new LinkedHashMap<>();
            deferred.forEach((step, names) -> copy.put(step, Collections.unmodifiableSet(new LinkedHashSet<>(names))));
            return Collections.unmodifiableMap(copy);
        }
    }
}
