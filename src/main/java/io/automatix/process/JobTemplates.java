package io.automatix.process;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import freemarker.core.ParseException;
import freemarker.template.Configuration;
import freemarker.template.TemplateException;

/**
 * Job scripts from FreeMarker templates in {@code templates/}: the wrapper {@code job.sh.ftl}
 * (status reporting) includes the step's template. Templates are re-read when edited. A missing
 * variable is an error naming the template and line, never an empty string in a script. Every
 * {@code ${value}} is quoted for the shell ({@link ShellOutputFormat}; {@code ${value?no_esc}} is
 * not), and templates reach nothing of the router ({@link TemplateConfiguration}).
 */
public final class JobTemplates {

    public static final String WRAPPER = "job.sh.ftl";

    private final Path directory;
    private final Configuration freemarker;

    public JobTemplates(Path directory) {
        this.directory = directory;
        this.freemarker = TemplateConfiguration.create(directory);
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

    /**
     * Every template of the directory read now, as a router starting: one that does not parse, or
     * that asks for {@code ?new} or {@code ?api} (refused when rendered anyway), is named with its
     * line.
     *
     * @throws TemplateFailure listing each problem as {@code templates/<file>:<line>: reason}
     */
    public void validate() {
        List<String> problems = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(directory)) {
            files = walk.filter(f -> f.toString().endsWith(".ftl") && Files.isRegularFile(f))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path file : files) {
            String name = directory.relativize(file).toString().replace('\\', '/');
            try {
                problems.addAll(TemplateCheck.problems("templates/" + name, Files.readString(file)));
                freemarker.getTemplate(name);
            } catch (ParseException e) {
                problems.add(failure(e, name).getMessage());
            } catch (IOException e) {
                problems.add("templates/" + name + ": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new TemplateFailure(String.join("\n", problems));
        }
    }

    /** A template that cannot be rendered: the job cannot run as configured. */
    public static final class TemplateFailure extends RuntimeException {
        TemplateFailure(String message) {
            super(message);
        }
    }
}
