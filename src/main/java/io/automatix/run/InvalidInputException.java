package io.automatix.run;

/** Input that can never be used as sent: the field at fault and why. Not worth a retry. */
public class InvalidInputException extends RuntimeException {

    private final String field;

    public InvalidInputException(String field, String reason) {
        super(field == null ? reason : "field '" + field + "': " + reason);
        this.field = field;
    }

    /** The offending field, or null when the input as a whole is unusable (e.g. not JSON). */
    public String field() {
        return field;
    }
}
