package io.automatix.workflow;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.automatix.description.ScalarValues;
import io.automatix.description.YamlReader;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * The values of a WDF's scalars: {@code {{ NAME }}} replaced by the caller's variable of that name,
 * once (replaced values are not scanned again); inside a step ({@link #enterStep}), {@code {{ STEP }}}
 * is the step's name. Leniently, a variable undefined inside a step is left in the text and recorded:
 * the node is {@linkplain #deferred deferred}, its checks wait for the strict read at run time.
 */
final class WdfVariables implements ScalarValues {

    static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\}\\}");

    private final Map<String, String> variables;
    private final boolean lenient;
    private final Map<String, Set<String>> deferred = new LinkedHashMap<>();
    private final Set<Node> deferredNodes = Collections.newSetFromMap(new IdentityHashMap<>());
    /** The step being read (after its name): defines STEP and, when lenient, defers undefined variables. */
    private String step;

    WdfVariables(Map<String, String> variables, boolean lenient) {
        this.variables = variables == null ? Map.of() : variables;
        this.lenient = lenient;
    }

    void enterStep(String name) {
        step = name;
    }

    void leaveStep() {
        step = null;
    }

    /** The value with its variables substituted; an empty value ({@code key:}) is none. */
    @Override
    public String value(ScalarNode node, String field, YamlReader reader) {
        if (YamlReader.isNull(node)) {
            reader.error(node, field, "a value is required");
            return null;
        }
        Matcher m = VARIABLE.matcher(node.getValue());
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
                reader.error(node, field, "undefined variable '" + name + "'");
                ok = false;
            }
        }
        m.appendTail(out);
        return ok ? out.toString() : null;
    }

    @Override
    public boolean deferred(Node node) {
        return deferredNodes.contains(node);
    }

    /** Whether {@code part} of the node's value holds a variable kept for run time (its checks wait for then). */
    @Override
    public boolean deferred(Node node, String part) {
        return deferred(node) && VARIABLE.matcher(part).find();
    }

    /** The variables each step left for run time. */
    Map<String, Set<String>> deferredVariables() {
        Map<String, Set<String>> copy = new LinkedHashMap<>();
        deferred.forEach((s, names) -> copy.put(s, Collections.unmodifiableSet(new LinkedHashSet<>(names))));
        return Collections.unmodifiableMap(copy);
    }
}
