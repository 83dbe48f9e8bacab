package io.automatix.description;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
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
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * The strict YAML reader of description files (pipelines and workflow description files). A file is
 * read as a node tree, never bound to objects, so that every error knows its line; the tree is only
 * composed when the file is UTF-8, at most {@link #MAX_CHARACTERS} long and nested at most
 * {@link YamlDepth#MAX} deep, and with at most {@link #MAX_ALIASES} aliases of collections (alias
 * bombs). Non-scalar keys are refused by the composer; keys given twice, unknown keys and tags other
 * than the core schema's ({@code !!java...}, {@code !custom}) by the accessors below.
 *
 * <p>Each accessor checks one node's shape and value and, when it does not fit, records an error at
 * the node's line and returns null (or an empty list), so that the caller reads on and every error
 * of the file is reported together: see {@link #errors()}.
 */
public final class YamlReader {

    /** Longer files are refused before parsing; no real description comes near (the API takes 64 KiB). */
    public static final int MAX_CHARACTERS = 1 << 20;
    /** snakeyaml-engine's default, stated here: more aliases of collections are refused. */
    public static final int MAX_ALIASES = 50;

    /** The names of pipelines, steps, services...: they reach file names, job names and commands. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

    /**
     * The tags a node may have: those the core schema resolves plain values to ({@code ${X}} resolves
     * to the environment tag, which is never constructed here). Any other tag was written explicitly.
     */
    private static final Set<Tag> TAGS =
            Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.SEQ, Tag.MAP, Tag.ENV_TAG);

    private final String file;
    private final ScalarValues values;
    private final DescriptionErrors errors;

    /** A reader of scalars as written. */
    public YamlReader(String file) {
        this(file, ScalarValues.AS_WRITTEN);
    }

    /** @param file for errors, e.g. {@code pipelines/cybershake.yaml} */
    public YamlReader(String file, ScalarValues values) {
        this.file = file;
        this.values = values;
        this.errors = new DescriptionErrors(file);
    }

    public String file() {
        return file;
    }

    /** Every error recorded so far. */
    public DescriptionErrors errors() {
        return errors;
    }

    public void error(Node node, String field, String reason) {
        errors.add(line(node), field, reason);
    }

    public void error(int line, String field, String reason) {
        errors.add(line, field, reason);
    }

    /** The node's line, 1-based (1 when there is no node). */
    public static int line(Node node) {
        return node == null ? 1 : node.getStartMark().map(m -> m.getLine() + 1).orElse(1);
    }

    // --- the document ------------------------------------------------------------------------------

    /** The file's text, or null where it stops being UTF-8 (reported with the line and the byte's offset). */
    public String utf8(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int line = 1;
            for (int i = 0; i < in.position(); i++) {
                line += bytes[i] == '\n' ? 1 : 0;
            }
            error(line, null, "not UTF-8 (at byte offset " + in.position() + ")");
            return null;
        }
        return out.flip().toString();
    }

    /** The document's root node, or null (reported) when the text is empty, too long, too deep or not YAML. */
    public Node compose(String text) {
        if (text.length() > MAX_CHARACTERS) {
            error(1, null, "longer than " + MAX_CHARACTERS + " characters");
            return null;
        }
        LoadSettings settings = LoadSettings.builder()
                .setLabel(file)
                .setCodePointLimit(MAX_CHARACTERS)
                .setMaxAliasesForCollections(MAX_ALIASES)
                .setAllowNonScalarKeys(false)
                .setAllowRecursiveKeys(false)
                .build();
        try {
            OptionalInt deep = YamlDepth.tooDeep(text, settings);
            if (deep.isPresent()) {
                error(deep.getAsInt(), null, "nested deeper than " + YamlDepth.MAX + " levels");
                return null;
            }
            Optional<Node> root = new Compose(settings).composeString(text);
            if (root.isEmpty()) {
                error(1, null, "the file is empty");
            }
            return root.orElse(null);
        } catch (MarkedYamlEngineException e) {
            error(e.getProblemMark().map(m -> m.getLine() + 1).orElse(1), null, "not valid YAML: " + e.getProblem());
        } catch (YamlEngineException e) {
            error(1, null, "not valid YAML: " + e.getMessage());
        }
        return null;
    }

    // --- shapes --------------------------------------------------------------------------------------

    /** The node as a mapping, or null (reported). */
    public MappingNode asMapping(Node node, String field) {
        if (!(node instanceof MappingNode m)) {
            error(node, field, "expected a mapping");
            return null;
        }
        return allowedTag(node, field) ? m : null;
    }

    /** A mapping's keys, or null (reported) when the node is not a mapping: see {@link #fields}. */
    public Fields mapping(Node node, String field, Set<String> allowed) {
        MappingNode m = asMapping(node, field);
        return m == null ? null : fields(m, field, allowed);
    }

    /**
     * The keys of a mapping; unknown keys (when {@code allowed} is not null) and keys given again are
     * reported and left out. A key's field is {@code field.key} ({@code key} at the top).
     */
    public Fields fields(MappingNode m, String field, Set<String> allowed) {
        Map<String, NodeTuple> result = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) { // the composer refuses them: kept for safety
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
            } else if (!allowedTag(k, path)) {
                continue;
            } else if (result.putIfAbsent(key, t) != null) {
                error(k, path, "given twice");
            }
        }
        return new Fields(m, result);
    }

    /** The value of a key that must be given, or null (reported at the mapping's line). */
    public Node required(Fields fields, String key, String field) {
        if (!fields.has(key)) {
            error(fields.node(), field, "required but missing");
        }
        return fields.get(key);
    }

    /** A list; absent or empty ({@code key:}) is an empty list, anything else not a list is reported. */
    public List<Node> list(Node node, String field) {
        if (node == null || isNull(node)) {
            return List.of();
        }
        if (node instanceof SequenceNode s) {
            return allowedTag(node, field) ? s.getValue() : List.of();
        }
        error(node, field, "expected a list");
        return List.of();
    }

    /** A single value or a list of them ({@code after: A} is {@code after: [A]}); absent is empty. */
    public List<Node> oneOrMany(Node node, String field) {
        if (node == null) {
            return List.of();
        }
        if (node instanceof SequenceNode s) {
            return allowedTag(node, field) ? s.getValue() : List.of();
        }
        if (node instanceof ScalarNode) {
            return List.of(node);
        }
        error(node, field, "expected a single value or a list");
        return List.of();
    }

    /** {@code key:} with nothing after it. */
    public static boolean isNull(Node node) {
        return node instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
    }

    // --- values --------------------------------------------------------------------------------------

    /** A single value, as the reader's {@link ScalarValues} makes it, or null (reported). */
    public String string(Node node, String field) {
        if (!(node instanceof ScalarNode s)) {
            error(node, field, "expected a single value");
            return null;
        }
        return allowedTag(node, field) ? values.value(s, field, this) : null;
    }

    /** Whether the node's value is kept for later (see {@link ScalarValues#deferred}). */
    public boolean deferred(Node node) {
        return node != null && values.deferred(node);
    }

    /** Whether {@code part} of the node's value is kept for later (its own checks wait). */
    public boolean deferred(Node node, String part) {
        return node != null && values.deferred(node, part);
    }

    /** A single value matching {@code pattern}, or null (reported: {@code 'value' is not <what>}). */
    public String matching(Node node, String field, Pattern pattern, String what) {
        String value = string(node, field);
        if (value != null && !deferred(node) && !pattern.matcher(value).matches()) {
            error(node, field, "'" + value + "' is not " + what);
            return null;
        }
        return value;
    }

    /** A {@link #NAME}, or null (reported). */
    public String name(Node node, String field) {
        return matching(node, field, NAME, "a valid name");
    }

    /** A walltime ({@link Walltime}), or null: reported, or kept for later. */
    public Duration duration(Node node, String field) {
        String value = string(node, field);
        if (value == null || deferred(node)) {
            return null;
        }
        try {
            return Walltime.parse(value);
        } catch (IllegalArgumentException e) {
            error(node, field, e.getMessage());
            return null;
        }
    }

    /**
     * A whole number from {@code min} to {@code max} written in digits only (no sign, exponent or more
     * digits than {@code max} has), or null: reported as {@code 'value' is not <what> from min to max},
     * or kept for later.
     */
    public Integer integer(Node node, String field, int min, int max, String what) {
        String value = string(node, field);
        if (value == null || deferred(node)) {
            return null;
        }
        if (value.matches("\\d{1," + String.valueOf(max).length() + "}")) {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        }
        error(node, field, "'" + value + "' is not " + what + " from " + min + " to " + max);
        return null;
    }

    /** One of {@code choices} by its name, or null (reported: {@code unknown <what> 'value' (expected one of ...)}). */
    public <E> E choice(Node node, String field, String what, Map<String, E> choices) {
        String value = string(node, field);
        if (value == null || deferred(node)) {
            return null;
        }
        E choice = choices.get(value);
        if (choice == null) {
            error(
                    node,
                    field,
                    "unknown " + what + " '" + value + "' (expected one of "
                            + choices.keySet().stream().sorted().toList() + ")");
        }
        return choice;
    }

    /** Whether the node's tag is one a plain value resolves to; otherwise reported. */
    private boolean allowedTag(Node node, String field) {
        if (TAGS.contains(node.getTag())) {
            return true;
        }
        String tag = node.getTag().getValue();
        error(
                node,
                field,
                "tag '" + (tag.startsWith(Tag.PREFIX) ? "!!" + tag.substring(Tag.PREFIX.length()) : tag)
                        + "' is not allowed");
        return false;
    }
}
