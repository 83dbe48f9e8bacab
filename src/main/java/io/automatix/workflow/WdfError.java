package io.automatix.workflow;

import java.util.List;

/**
 * A workflow description file that cannot be used, with every error found in it, each as
 * {@code file:line: field: reason}.
 */
public final class WdfError extends RuntimeException {

    private final List<String> errors;

    public WdfError(List<String> errors) {
        super(String.join("\n", errors));
        this.errors = List.copyOf(errors);
    }

    public List<String> errors() {
        return errors;
    }
}
