package io.automatix.process;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds, in a template's text, the built-ins that reach Java ({@code ?new}, {@code ?api}) inside
 * FreeMarker's own syntax ({@code ${...}}, {@code <#...>}, {@code <@...>}), leaving comments,
 * {@code <#noparse>} and the shell text alone. FreeMarker refuses them when it renders; this says
 * so, with the line, before any job needs the template.
 */
final class TemplateCheck {

    private static final Pattern REACHING = Pattern.compile("\\?\\s*(new|api)(?![A-Za-z0-9_])");

    private TemplateCheck() {}

    static List<String> problems(String name, String text) {
        List<String> problems = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith("<#--", i)) {
                i = after(text, "-->", i);
            } else if (text.startsWith("<#noparse>", i)) {
                i = after(text, "</#noparse>", i);
            } else if (text.startsWith("${", i) || text.startsWith("<#", i) || text.startsWith("<@", i)) {
                int end = end(text, i);
                Matcher m = REACHING.matcher(text.substring(i, end));
                while (m.find()) {
                    problems.add(name + ":" + line(text, i + m.start()) + ": ?" + m.group(1)
                            + " is not allowed: templates cannot create or reach Java objects");
                }
                i = end;
            } else {
                i++;
            }
        }
        return problems;
    }

    private static int after(String text, String close, int from) {
        int at = text.indexOf(close, from);
        return at < 0 ? text.length() : at + close.length();
    }

    /** The end of an interpolation or tag: its closing brace or '>', outside string literals. */
    private static int end(String text, int from) {
        char close = text.charAt(from) == '$' ? '}' : '>';
        int depth = 0;
        char quote = 0;
        for (int i = from + 2; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '{' || c == '(') {
                depth++;
            } else if ((c == '}' || c == ')') && depth > 0) {
                depth--;
            } else if (c == close && depth == 0) {
                return i + 1;
            }
        }
        return text.length();
    }

    private static int line(String text, int at) {
        int line = 1;
        for (int i = 0; i < at; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
