package io.automatix.ssh;

import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Groups {@code <prefix><name>.<key>} settings (clusters, acquisition hosts) by name, refusing
 * names outside the allow-list and unknown keys, so a typo is a startup error naming the key.
 */
public final class HostSettings {

    private HostSettings() {}

    /** The keys of a host of some kind: its own and those of its SSH target. */
    public static Set<String> withSshKeys(Set<String> own) {
        Set<String> keys = new TreeSet<>(SshTarget.KEYS);
        keys.addAll(own);
        return Set.copyOf(keys);
    }

    /** name -> key -> value, sorted by name. */
    public static Map<String, Map<String, String>> byName(
            Properties properties, String prefix, Pattern name, Set<String> keys) {
        Pattern key = Pattern.compile(Pattern.quote(prefix) + "(" + name.pattern() + ")\\.([a-z-]+)");
        Map<String, Map<String, String>> settings = new TreeMap<>();
        for (String property : properties.stringPropertyNames()) {
            if (!property.startsWith(prefix)) {
                continue;
            }
            Matcher m = key.matcher(property);
            if (!m.matches() || !keys.contains(m.group(2))) {
                throw new IllegalArgumentException("bad setting '" + property + "': expected " + prefix + "<name>.<"
                        + String.join("|", new TreeSet<>(keys)) + "> with a name matching " + name.pattern());
            }
            settings.computeIfAbsent(m.group(1), n -> new TreeMap<>())
                    .put(m.group(2), properties.getProperty(property).trim());
        }
        return settings;
    }
}
