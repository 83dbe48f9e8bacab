package io.automatix.process;

import java.util.List;

import io.automatix.description.DescriptionError;
import io.automatix.description.DescriptionErrors;

/** A pipeline file that cannot be used: every error found in it, each where (file, line, field) and why. */
public final class PipelineError extends DescriptionError {

    public PipelineError(String file, int line, String field, String reason) {
        this(List.of(DescriptionErrors.format(file, line, field, reason)));
    }

    /** @param errors each {@code file:line: field: reason} */
    public PipelineError(List<String> errors) {
        super(errors);
    }
}
