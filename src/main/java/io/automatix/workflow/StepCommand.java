package io.automatix.workflow;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A step's {@code command} as an argument list: split at blanks, each word of a closed alphabet
 * (no quotes, no shell syntax: it is run as argv, every word quoted), the first one a command the
 * site allows, with options its {@link CommandPolicy} allows. {@code %s} and {@code %n} stand for a parametric job's value and index.
 */
final class StepCommand {

    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_./=:,@%+-]+");

    private StepCommand() {}

    static boolean parametrised(String command) {
        return command.contains("%s") || command.contains("%n");
    }

    /** @throws IllegalArgumentException naming the word that is not allowed */
    static List<String> argv(String command, CommandPolicy policy, String value, Integer index) {
        List<String> argv = new ArrayList<>();
        for (String word : command.strip().split("\\s+")) {
            if (!WORD.matcher(word).matches()) {
                throw new IllegalArgumentException(
                        "'" + word + "' is not allowed in a command (letters, digits and _ . / = : , @ % + - only;"
                                + " no quotes or shell syntax)");
            }
            argv.add(value == null ? word : word.replace("%s", value).replace("%n", String.valueOf(index)));
        }
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        policy.check(argv);
        return argv;
    }
}
