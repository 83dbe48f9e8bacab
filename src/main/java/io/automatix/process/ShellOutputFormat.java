package io.automatix.process;

import java.io.IOException;
import java.io.Writer;

import freemarker.core.CommonMarkupOutputFormat;
import freemarker.core.CommonTemplateMarkupOutputModel;
import io.automatix.ssh.ShellQuote;

/**
 * The output format of every template in {@code templates/}: they are shell scripts, so every
 * {@code ${...}} is quoted as one shell word by {@link ShellQuote} (a plain word is left as it is),
 * and {@code ${value?no_esc}} writes a value as shell text, for the few values that are meant as
 * such (a site's preamble, the batch system's directives). A quoted value is one word where words
 * are read: not inside double quotes, and not in a comment (a newline would end the comment).
 */
public final class ShellOutputFormat extends CommonMarkupOutputFormat<ShellOutputFormat.Shell> {

    public static final ShellOutputFormat INSTANCE = new ShellOutputFormat();

    private ShellOutputFormat() {}

    @Override
    public String getName() {
        return "shell";
    }

    @Override
    public String getMimeType() {
        return "text/x-shellscript";
    }

    @Override
    public void output(String textToEsc, Writer out) throws IOException {
        out.write(escapePlainText(textToEsc));
    }

    @Override
    public String escapePlainText(String plainTextContent) {
        return ShellQuote.quote(plainTextContent);
    }

    @Override
    public boolean isLegacyBuiltInBypassed(String builtInName) {
        return false;
    }

    @Override
    protected Shell newTemplateMarkupOutputModel(String plainTextContent, String markupContent) {
        return new Shell(plainTextContent, markupContent);
    }

    /** Shell text, quoted or raw, as FreeMarker carries it between interpolations. */
    public static final class Shell extends CommonTemplateMarkupOutputModel<Shell> {

        Shell(String plainTextContent, String markupContent) {
            super(plainTextContent, markupContent);
        }

        @Override
        public ShellOutputFormat getOutputFormat() {
            return INSTANCE;
        }
    }
}
