package io.automatix.run;

import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Reads a run offer (JSON) strictly: unknown fields, wrong types and names or paths outside their
 * allow-lists are refused with the field named. What passes here is safe to use in a path or as a
 * quoted shell argument.
 */
public final class RunRequestParser {

    public static final int MAX_BYTES = 64 * 1024;

    /** Names reach paths and commands: no leading '.' or '-', so no '..' and no option injection. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,252}");
    private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._/+@=,-]{0,4095}");
    private static final Set<String> FIELDS =
            Set.of("type", "version", "name", "source_host", "source_path", "pipeline", "cluster", "metadata");

    private final ObjectMapper json = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // {"name":"a","name":"b"}: parsers disagree on which wins, so it is refused
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();
    private final Predicate<String> knownCluster;

    public RunRequestParser(Predicate<String> knownCluster) {
        this.knownCluster = knownCluster;
        json.getFactory()
                .setStreamReadConstraints(
                        StreamReadConstraints.builder().maxNestingDepth(32).build());
    }

    public RunRequest parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw new InvalidInputException(null, "empty body: expected a JSON object with at least \"name\"");
        }
        if (body.length > MAX_BYTES) {
            throw new InvalidInputException(null, "body of " + body.length + " bytes exceeds " + MAX_BYTES);
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(null, "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidInputException(null, "unreadable body: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidInputException(null, "expected a JSON object");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                throw new InvalidInputException(
                        printable(field), "unknown field; expected one of " + new TreeSet<>(FIELDS));
            }
        }
        text(root, "type", Pattern.compile("run"), "must be \"run\"");
        if (root.has("version")
                && !(root.get("version").isInt() && root.get("version").intValue() == 1)) {
            throw new InvalidInputException("version", "unsupported version " + root.get("version") + "; expected 1");
        }
        String name = text(root, "name", NAME, "must be 1 to 128 of A-Z a-z 0-9 . _ - and not start with '.' or '-'");
        if (name == null) {
            throw new InvalidInputException("name", "required");
        }
        String sourcePath = text(root, "source_path", PATH, "must be an absolute path of A-Z a-z 0-9 . _ / + @ = , -");
        if (sourcePath != null && (sourcePath + "/").contains("/../")) {
            throw new InvalidInputException("source_path", "must not contain '..'");
        }
        String cluster = text(root, "cluster", NAME, "must be a cluster name");
        if (cluster != null && !knownCluster.test(cluster)) {
            throw new InvalidInputException("cluster", "no cluster named '" + cluster + "' is configured");
        }
        Map<String, Object> metadata = Map.of();
        if (root.has("metadata") && !root.get("metadata").isNull()) {
            if (!root.get("metadata").isObject()) {
                throw new InvalidInputException("metadata", "must be a JSON object");
            }
            checkStorable(root.get("metadata"));
            try {
                metadata = json.convertValue(root.get("metadata"), Map.class);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("metadata", "cannot be read: " + e.getMessage());
            }
        }
        return new RunRequest(
                name,
                text(root, "source_host", HOST, "must be a host name"),
                sourcePath,
                text(root, "pipeline", NAME, "must be a pipeline name"),
                cluster,
                metadata);
    }

    /**
     * Metadata goes into a PostgreSQL jsonb column, which refuses U+0000 and non-numbers, and the
     * database driver would silently change a lone surrogate: refused here, so that a message that
     * can never be stored is a dead letter and not retried for ever.
     */
    private static void checkStorable(JsonNode node) {
        if (node.isTextual()) {
            String problem = unstorable(node.textValue());
            if (problem != null) {
                throw new InvalidInputException("metadata", "a value " + problem);
            }
        } else if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue()) && !node.isBigDecimal()) {
            throw new InvalidInputException("metadata", "a number is out of range (" + node.asText() + ")");
        } else if (node.isContainerNode()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                String problem = unstorable(e.getKey());
                if (problem != null) {
                    throw new InvalidInputException("metadata", "a key " + problem);
                }
            }
            for (JsonNode child : node) {
                checkStorable(child);
            }
        }
    }

    /** Why a string cannot be stored as jsonb text, or null. */
    private static String unstorable(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0) {
                return "contains U+0000";
            }
            if (Character.isHighSurrogate(c)
                    && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "is not valid Unicode (a lone surrogate)";
            }
        }
        return null;
    }

    private static String text(JsonNode root, String field, Pattern allowed, String rule) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidInputException(
                    field, "must be a string, not " + node.getNodeType().name().toLowerCase());
        }
        String value = node.textValue();
        if (!allowed.matcher(value).matches()) {
            throw new InvalidInputException(field, rule + " (got \"" + printable(value) + "\")");
        }
        return value;
    }

    /** Echoes input back in errors without control characters and without unbounded length. */
    static String printable(String value) {
        String cut = value.codePointCount(0, value.length()) > 80
                ? value.substring(0, value.offsetByCodePoints(0, 80)) + "..."
                : value; // never half a surrogate pair
        StringBuilder out = new StringBuilder();
        cut.codePoints().forEach(c -> {
            if (c < 0x20
                    || c == 0x7f
                    || c == '"'
                    || c == '\\'
                    || (c >= 0xD800 && c <= 0xDFFF)
                    || Character.getType(c) == Character.FORMAT) { // also lone surrogates and bidi overrides
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
