package io.automatix.config;

import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Typed access to the {@code automatix.*} settings. Defaults live in application.properties (one
 * place, with comments); a key missing everywhere is a startup error naming the key.
 */
public final class Settings {

    private final PropertiesComponent properties;

    public Settings(CamelContext context) {
        this.properties = context.getPropertiesComponent();
    }

    public String get(String key) {
        return optional(key)
                .orElseThrow(() -> new IllegalStateException("missing setting '" + key
                        + "': set it in application.properties, as -D" + key + " or as the environment variable "
                        + key.toUpperCase().replaceAll("[^A-Z0-9]", "_")));
    }

    /**
     * A setting that may be absent or blank (blank counts as absent). Any setting may come from a
     * file instead ({@link SecretFile}): the file named by its {@code _FILE} environment variable,
     * which wins over every other source, or by a {@code file:} value.
     */
    public Optional<String> optional(String key) {
        Optional<String> fromFile = SecretFile.fromEnvironment(key);
        if (fromFile.isPresent()) {
            return fromFile.filter(v -> !v.isEmpty());
        }
        return properties
                .resolveProperty(key)
                .map(String::trim)
                .filter(v -> !v.isEmpty())
                .map(v -> SecretFile.resolve(key, v))
                .filter(v -> !v.isEmpty());
    }

    public int getInt(String key) {
        String value = get(key);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("setting '" + key + "' must be a whole number, not '" + value + "'");
        }
    }

    public long getLong(String key) {
        String value = get(key);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("setting '" + key + "' must be a whole number, not '" + value + "'");
        }
    }

    /** A {@code ...-seconds} setting. */
    public Duration seconds(String key) {
        return Duration.ofSeconds(getInt(key));
    }

    /** A {@code ...-ms} setting. */
    public Duration millis(String key) {
        return Duration.ofMillis(getInt(key));
    }

    public boolean getBoolean(String key) {
        return Boolean.parseBoolean(get(key));
    }

    /**
     * Every property whose key starts with the prefix, from the properties files, overrides and
     * -D system properties, each resolved as {@link #optional} would. (Environment variables cannot
     * be mapped back to such keys: AUTOMATIX_CLUSTERS_A_B_HOST is ambiguous.)
     */
    public Properties withPrefix(String prefix) {
        Set<String> keys = new TreeSet<>(
                properties.loadProperties(key -> key.startsWith(prefix)).stringPropertyNames());
        System.getProperties().stringPropertyNames().stream()
                .filter(key -> key.startsWith(prefix))
                .forEach(keys::add);
        Properties result = new Properties();
        keys.forEach(key -> optional(key).ifPresent(value -> result.setProperty(key, value)));
        return result;
    }
}
