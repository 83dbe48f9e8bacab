package io.automatix.description;

import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * How {@link YamlReader} turns a scalar's text into the value its typed accessors check: as written
 * (pipelines), or with variables replaced (workflow description files).
 */
public interface ScalarValues {

    /** The text as written; an empty value ({@code key:}) is {@code ""}. */
    ScalarValues AS_WRITTEN = (node, field, reader) -> node.getValue();

    /** The value, or null when there is none (the reason reported through {@code reader}). */
    String value(ScalarNode node, String field, YamlReader reader);

    /**
     * Whether the node's value is kept for later (a variable given only at run time): the typed
     * accessors return it unchecked, or null when it must be converted.
     */
    default boolean deferred(Node node) {
        return false;
    }

    /** Whether {@code part} of the node's value (a word of it, say) is what is kept for later. */
    default boolean deferred(Node node, String part) {
        return deferred(node);
    }
}
