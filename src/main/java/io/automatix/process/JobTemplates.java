package io.automatix.process;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import freemarker.cache.FileTemplateLoader;
import freemarker.core.ParseException;
import freemarker.template.Configuration;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import freemarker.template.TemplateMethodModelEx;
import freemarker.template.TemplateModelException;
import io.automatix.ssh.ShellQuote;

/**
 * Job scripts from FreeMarker templates in {@code templates/}: the wrapper {@code job.sh.ftl}
 * (status reporting) includes the step's template. Templates are re-read when edited. A missing
 * variable is an error naming the template and line, never an empty string in a script;
 * {@code ${sh(value)}} quotes a value for the shell.
 */
public final class JobTemplates {

    public static final String WRAPPER = "job.sh.ftl";

    private final Path directory;
    private final Configuration freemarker;

    public JobTemplates(Path directory) {
        this.directory = directory;
        this.freemarker = new Configuration(Configuration.VERSION_2_3_34);
        try {
            Files.createDirectories(directory);
            freemarker.setTemplateLoader(new FileTemplateLoader(directory.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        freemarker.setDefaultEncoding("UTF-8");
        freemarker.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        freemarker.setLogTemplateExceptions(false);
        freemarker.setWrapUncheckedExceptions(true);
        freemarker.setTemplateUpdateDelayMilliseconds(1000);
        freemarker.setNumberFormat("computer");
        freemarker.setSharedVariable("sh", (TemplateMethodModelEx) JobTemplates::quote);
    }

    public boolean exists(String name) {
        Path path = directory.resolve(name).normalize();
        return path.startsWith(directory.normalize()) && Files.isRegularFile(path);
    }

    /** @throws TemplateFailure naming the template, line and reason */
    public String render(String template, Map<String, Object> model) {
        try {
            StringWriter out = new StringWriter();
            freemarker.getTemplate(template).process(model, out);
            return out.toString();
        } catch (TemplateException e) {
            // an included template that does not parse fails at the <#include>: name the included one
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof ParseException parse) {
                    throw failure(parse, template);
                }
            }
            throw new TemplateFailure("templates/"
                    + (e.getTemplateSourceName() == null ? template : e.getTemplateSourceName()) + ":"
                    + (e.getLineNumber() == null ? "?" : e.getLineNumber()) + ": " + e.getMessageWithoutStackTop());
        } catch (ParseException e) {
            throw failure(e, template);
        } catch (IOException e) {
            throw new TemplateFailure("templates/" + template + ": " + e.getMessage());
        }
    }

    private static TemplateFailure failure(ParseException e, String template) {
        return new TemplateFailure("templates/" + (e.getTemplateName() == null ? template : e.getTemplateName()) + ":"
                + e.getLineNumber() + ": " + e.getEditorMessage());
    }

    private static Object quote(List<?> arguments) throws TemplateModelException {
        if (arguments.size() != 1) {
            throw new TemplateModelException("sh(value) takes one argument");
        }
        if (arguments.get(0) == null) { // ${sh(undefined)}: say so, rather than quote "null" or fail obscurely
            throw new TemplateModelException("sh(value): the value is missing (an undefined variable?)");
        }
        return ShellQuote.quote(arguments.get(0).toString());
    }

    /** A template that cannot be rendered: the job cannot run as configured. */
    public static final class TemplateFailure extends RuntimeException {
        TemplateFailure(String message) {
            super(message);
        }
    }
}
