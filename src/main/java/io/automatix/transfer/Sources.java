package io.automatix.transfer;

import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import io.automatix.config.Settings;
import io.automatix.ssh.HostSettings;
import io.automatix.ssh.SshTarget;

/**
 * The configured acquisition hosts. Automatix only reaches hosts named here: a run whose
 * source_host is not configured fails with that reason. A run without source_host has its data on
 * the router's own host.
 */
public final class Sources {

    private static final String PREFIX = "automatix.sources.";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]*");
    private static final Set<String> KEYS = HostSettings.withSshKeys(Set.of("live-check", "push-ssh"));

    private final Map<String, Source> byName;
    private final Source local;

    private Sources(Map<String, Source> byName, Source local) {
        this.byName = byName;
        this.local = local;
    }

    /** {@code automatix.sources.<name>.*}; sources without a live check get {@code automatix.transfer.live-check}. */
    public static Sources from(Settings settings) {
        return from(
                settings.withPrefix(PREFIX),
                settings.optional("automatix.transfer.live-check").orElse(null));
    }

    public static Sources from(Properties properties, String defaultLiveCheck) {
        Map<String, Map<String, String>> settings = HostSettings.byName(properties, PREFIX, NAME, KEYS);
        Map<String, Source> sources = new TreeMap<>();
        settings.forEach((name, s) -> sources.put(
                name,
                new Source(
                        name,
                        SshTarget.fromSettings(name, PREFIX + name + ".", s),
                        blankToNull(s.getOrDefault("live-check", defaultLiveCheck)),
                        s.getOrDefault("push-ssh", "ssh -o BatchMode=yes"))));
        return new Sources(sources, new Source("local", null, blankToNull(defaultLiveCheck), null));
    }

    /** The source of a run: its configured host, or this host when the run names none. */
    public Optional<Source> of(String sourceHost) {
        return sourceHost == null ? Optional.of(local) : Optional.ofNullable(byName.get(sourceHost));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
