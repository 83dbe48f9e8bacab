package io.automatix.workflow;

import java.util.List;
import java.util.Locale;

/**
 * Moves {@code elements} (relative globs) to or from the storage tier {@code target} when a step that
 * uses it starts or stops.
 */
public record DataMover(String name, Trigger trigger, String target, Operation operation, List<String> elements) {

    /** When the data mover runs: {@code step_start} or {@code step_stop} in the file. */
    public enum Trigger {
        STEP_START,
        STEP_STOP;

        /** As written in the file. */
        public String yaml() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** {@code copy} or {@code move} in the file. */
    public enum Operation {
        COPY,
        MOVE;

        /** As written in the file. */
        public String yaml() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
