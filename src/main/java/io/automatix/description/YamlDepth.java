package io.automatix.description;

import java.util.OptionalInt;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.Event;

/**
 * How deep YAML nests, read before {@link YamlReader} composes it:
 * the composer recurses once per level, so a few thousand '[' would end in a StackOverflowError. The
 * event parser does not recurse.
 */
final class YamlDepth {

    /** Deeper than this is refused. */
    static final int MAX = 64;

    private YamlDepth() {}

    /** The line (1-based) where the text first nests deeper than {@link #MAX}, if it does. */
    static OptionalInt tooDeep(String text, LoadSettings settings) {
        int depth = 0;
        for (Event e : new Parse(settings).parseString(text)) {
            switch (e.getEventId()) {
                case SequenceStart, MappingStart -> {
                    if (++depth > MAX) {
                        return OptionalInt.of(
                                e.getStartMark().map(m -> m.getLine() + 1).orElse(1));
                    }
                }
                case SequenceEnd, MappingEnd -> depth--;
                default -> {}
            }
        }
        return OptionalInt.empty();
    }
}
