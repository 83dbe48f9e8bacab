package io.automatix.workflow;

import java.util.List;

import io.automatix.description.DescriptionError;

/**
 * A workflow description file that cannot be used, with every error found in it, each as
 * {@code file:line: field: reason}.
 */
public final class WdfError extends DescriptionError {

    public WdfError(List<String> errors) {
        super(errors);
    }
}
