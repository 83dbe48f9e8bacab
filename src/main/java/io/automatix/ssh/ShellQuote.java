package io.automatix.ssh;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The one quoting function: every argument of every remote command passes here. POSIX single
 * quotes make any string literal for sh, bash, dash and ksh (login shells of csh family are not
 * supported: set an sh-compatible shell for the Automatix user). Quoting does not stop a value
 * from being read as an option: values from data are checked against allow-lists first.
 */
public final class ShellQuote {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

    private ShellQuote() {}

    public static String quote(String argument) {
        if (argument.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a shell argument cannot contain NUL");
        }
        if (PLAIN.matcher(argument).matches()) {
            return argument; // nothing sh would interpret; keeps commands readable in logs
        }
        return "'" + argument.replace("'", "'\\''") + "'";
    }

    /** A command line for {@code sh -c}: each argument quoted, joined by spaces. */
    public static String command(List<String> argv) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        return argv.stream().map(ShellQuote::quote).collect(Collectors.joining(" "));
    }
}
