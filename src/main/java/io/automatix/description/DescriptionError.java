package io.automatix.description;

import java.util.List;

/**
 * A description file (a pipeline, a workflow description) that cannot be used, with every error
 * found in it, each as {@code file:line: field: reason}; the message has them one a line. Each format
 * has its own subclass, the exception its callers catch.
 */
public abstract class DescriptionError extends RuntimeException {

    private final List<String> errors;

    protected DescriptionError(List<String> errors) {
        super(String.join("\n", errors));
        this.errors = List.copyOf(errors);
    }

    public List<String> errors() {
        return errors;
    }
}
