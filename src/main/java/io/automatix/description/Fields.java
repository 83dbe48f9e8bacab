package io.automatix.description;

import java.util.Map;
import java.util.Set;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;

/**
 * The keys of a mapping, as {@link YamlReader#fields} let them through (known, each given once), in
 * file order, with their key and value nodes.
 */
public record Fields(MappingNode node, Map<String, NodeTuple> tuples) {

    public boolean has(String key) {
        return tuples.containsKey(key);
    }

    /** The value of the key, or null when it is not given. */
    public Node get(String key) {
        NodeTuple t = tuples.get(key);
        return t == null ? null : t.getValueNode();
    }

    /** The key's own node (for errors about the key), or null when it is not given. */
    public Node key(String key) {
        NodeTuple t = tuples.get(key);
        return t == null ? null : t.getKeyNode();
    }

    public Set<String> keys() {
        return tuples.keySet();
    }

    public int size() {
        return tuples.size();
    }

    public boolean isEmpty() {
        return tuples.isEmpty();
    }
}
