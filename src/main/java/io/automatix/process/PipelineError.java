package io.automatix.process;

/** A pipeline file that cannot be used: where (file, line, field) and why. */
public final class PipelineError extends RuntimeException {

    public PipelineError(String file, int line, String field, String reason) {
        super(file + ":" + line + ": " + (field == null ? "" : field + ": ") + reason);
    }
}
