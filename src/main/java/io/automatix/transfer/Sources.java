package io.automatix.transfer;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import io.automatix.config.Settings;
import io.automatix.run.Roots;
import io.automatix.run.SourceCheck;
import io.automatix.ssh.HostSettings;
import io.automatix.ssh.SshTarget;

/**
 * The configured acquisition hosts. Automatix only reaches hosts named here: a run whose
 * source_host is not configured fails with that reason. A run without source_host has its data on
 * the router's own host, the source {@code local}. Each source declares the roots its runs may come
 * from; an offer outside them is refused at ingest, and the transfer checks the resolved path again.
 */
public final class Sources implements SourceCheck {

    private static final String PREFIX = "automatix.sources.";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]*");
    private static final Set<String> KEYS = HostSettings.withSshKeys(Set.of("live-check", "push-ssh", "roots"));
    /** The router's own host: runs without source_host. */
    public static final String LOCAL = "local";
    /** Under the data directory; the quick start's runs go there (README). */
    public static final String DEFAULT_LOCAL_ROOTS = "incoming";

    private final Map<String, Source> byName;
    private final Source local;

    private Sources(Map<String, Source> byName, Source local) {
        this.byName = byName;
        this.local = local;
    }

    /**
     * {@code automatix.sources.<name>.*}; sources without a live check get {@code automatix.transfer.live-check}.
     *
     * @param data the router's data directory: relative local roots are under it, and it is never a source
     * @param home the router's home (its configuration and routes): never a source
     */
    public static Sources from(Settings settings, Path data, Path home) {
        return from(
                settings.withPrefix(PREFIX),
                settings.optional("automatix.transfer.live-check").orElse(null),
                data,
                home);
    }

    public static Sources from(Properties properties, String defaultLiveCheck, Path data, Path home) {
        Map<String, Map<String, String>> settings = HostSettings.byName(properties, PREFIX, NAME, KEYS);
        Map<Path, String> own = new java.util.LinkedHashMap<>();
        own.put(data, "data directory");
        own.putIfAbsent(home, "home directory");
        Map<String, Source> sources = new TreeMap<>();
        settings.forEach((name, s) -> {
            if (name.equals(LOCAL)) {
                Set<String> extra = new java.util.TreeSet<>(s.keySet());
                extra.removeAll(Set.of("roots", "live-check"));
                if (!extra.isEmpty()) {
                    throw new IllegalArgumentException("bad setting '" + PREFIX + LOCAL + "."
                            + extra.iterator().next()
                            + "': the source 'local' is the router's own host (runs without source_host) and takes"
                            + " only .roots and .live-check; give an acquisition host another name");
                }
                return;
            }
            SshTarget ssh = SshTarget.fromSettings(name, PREFIX + name + ".", s);
            sources.put(
                    name,
                    new Source(
                            name,
                            ssh,
                            blankToNull(s.getOrDefault("live-check", defaultLiveCheck)),
                            s.getOrDefault("push-ssh", "ssh -o BatchMode=yes"),
                            roots(name, s.get("roots"), ssh == null ? data : null, ssh == null ? own : Map.of())));
        });
        Map<String, String> l = settings.getOrDefault(LOCAL, Map.of());
        Source local = new Source(
                LOCAL,
                null,
                blankToNull(l.getOrDefault("live-check", defaultLiveCheck)),
                null,
                roots(LOCAL, l.getOrDefault("roots", DEFAULT_LOCAL_ROOTS), data, own));
        return new Sources(sources, local);
    }

    private static Roots roots(String name, String value, Path relativeTo, Map<Path, String> own) {
        return Roots.parse(
                PREFIX + name + ".roots",
                value,
                relativeTo,
                own,
                "the roots of source '" + name + "'",
                "put the run under one of them");
    }

    /** The source of a run: its configured host, or this host when the run names none. */
    public Optional<Source> of(String sourceHost) {
        return sourceHost == null ? Optional.of(local) : Optional.ofNullable(byName.get(sourceHost));
    }

    /**
     * At ingest: the path as given against the source's roots, and on this host also as resolved (a
     * run whose data is not there yet is checked through its nearest existing directory). On a
     * remote host the resolved check waits for the transfer: ingest does not depend on reaching it.
     * A source_host that is not configured is left to the transfer, which fails the run saying so.
     */
    @Override
    public Optional<String> refusal(String sourceHost, String sourcePath) {
        Optional<Source> source = of(sourceHost);
        if (source.isEmpty()) {
            return Optional.empty();
        }
        Roots roots = source.get().roots();
        if (source.get().ssh() != null) {
            return roots.outside("source_path", sourcePath);
        }
        try {
            roots.resolveLocal("source_path", sourcePath, false);
            return Optional.empty();
        } catch (Roots.Refused e) {
            return Optional.of(e.getMessage());
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
