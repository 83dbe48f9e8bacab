package io.automatix.description;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The errors found in one description file, each {@code file:line: field: reason} (no field when the
 * error is about the file as a whole). Reading goes on after an error, so that a person sees every
 * error of the file at once.
 */
public final class DescriptionErrors {

    private record Located(int line, String message) {}

    private final String file;
    private final List<Located> errors = new ArrayList<>();

    public DescriptionErrors(String file) {
        this.file = file;
    }

    /** {@code file:line: field: reason}, without {@code field: } when the field is null or empty. */
    public static String format(String file, int line, String field, String reason) {
        return file + ":" + line + ": " + (field == null || field.isEmpty() ? "" : field + ": ") + reason;
    }

    public void add(int line, String field, String reason) {
        errors.add(new Located(line, format(file, line, field, reason)));
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    /** In the order the reader found them. */
    public List<String> inOrderFound() {
        return errors.stream().map(Located::message).toList();
    }

    /** In the order of their lines, those of one line in the order found. */
    public List<String> byLine() {
        return errors.stream()
                .sorted(Comparator.comparingInt(Located::line))
                .map(Located::message)
                .toList();
    }
}
