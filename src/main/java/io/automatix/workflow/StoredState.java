package io.automatix.workflow;

import java.util.Locale;

/**
 * A state of a session, step, service or data movement as the database stores it: the enum's
 * name in lower case, the values V7's CHECK constraints allow.
 */
interface StoredState {

    String name();

    default String stored() {
        return name().toLowerCase(Locale.ROOT);
    }

    static <E extends Enum<E>> E of(Class<E> type, String stored) {
        return Enum.valueOf(type, stored.toUpperCase(Locale.ROOT));
    }
}
