package io.automatix.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import freemarker.cache.FileTemplateLoader;
import freemarker.core.TemplateClassResolver;
import freemarker.ext.beans.BeansWrapper;
import freemarker.template.Configuration;
import freemarker.template.DefaultObjectWrapperBuilder;
import freemarker.template.TemplateExceptionHandler;

/**
 * The one place a FreeMarker {@link Configuration} is made. Templates are edited by operators and
 * rendered with data from outside (run names, metadata, errors), so they reach nothing of the
 * router: {@code ?new} instantiates no class, {@code ?api} is off, models are maps, lists and
 * scalars with no method or property of any Java object exposed, and templates are loaded only
 * from the template directory (no {@code ..} above it, no symbolic link out of it). Every template
 * is a shell script ({@link ShellOutputFormat}): interpolations are quoted unless written
 * {@code ?no_esc}.
 */
public final class TemplateConfiguration {

    private TemplateConfiguration() {}

    public static Configuration create(Path directory) {
        Configuration freemarker = new Configuration(Configuration.VERSION_2_3_34);
        try {
            Files.createDirectories(directory);
            // allowLinking stays false: a link out of the directory is refused
            freemarker.setTemplateLoader(new FileTemplateLoader(directory.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        freemarker.setNewBuiltinClassResolver(TemplateClassResolver.ALLOWS_NOTHING_RESOLVER);
        freemarker.setAPIBuiltinEnabled(false);
        DefaultObjectWrapperBuilder wrapper = new DefaultObjectWrapperBuilder(Configuration.VERSION_2_3_34);
        wrapper.setExposureLevel(BeansWrapper.EXPOSE_NOTHING);
        wrapper.setUseAdaptersForContainers(true);
        freemarker.setObjectWrapper(wrapper.build());
        freemarker.setRegisteredCustomOutputFormats(List.of(ShellOutputFormat.INSTANCE));
        freemarker.setOutputFormat(ShellOutputFormat.INSTANCE);
        freemarker.setRecognizeStandardFileExtensions(false); // a .ftlh is shell here too
        freemarker.setDefaultEncoding("UTF-8");
        freemarker.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        freemarker.setLogTemplateExceptions(false);
        freemarker.setWrapUncheckedExceptions(true);
        freemarker.setTemplateUpdateDelayMilliseconds(1000);
        freemarker.setNumberFormat("computer");
        return freemarker;
    }
}
