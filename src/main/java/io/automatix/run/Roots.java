package io.automatix.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The directories a run's files may come from (a source's roots) or be restored into (the restore
 * roots): an allow-list, checked on the path as given (lexically) and on the path as the file system
 * resolves it (symbolic links), so that neither {@code ..} nor a link leads out. On the router's own
 * host its own directories (data: token, keys, database; home: passwords, routes) are never inside,
 * whatever the roots say, unless a root lies within them (such as {@code <data>/incoming}).
 */
public final class Roots {

    private final List<Path> roots;
    private final Map<Path, String> own;
    private final String described;
    private final String advice;
    private final String key;

    /**
     * @param described what these are the roots of, for errors: "the roots of source 'local'"
     * @param advice    what a person can do, for errors: "put the run under one of them"
     * @param own       the router's own directories on this host (empty for a remote host), each with its name
     */
    private Roots(List<Path> roots, Map<Path, String> own, String described, String advice, String key) {
        this.roots = List.copyOf(roots);
        this.own = own;
        this.described = described;
        this.advice = advice;
        this.key = key;
    }

    /**
     * Comma-separated directories. Absolute ones stand as given; relative ones are under {@code relativeTo}
     * (the data directory; null: relative ones are refused, as on a remote host). {@code /} is refused.
     *
     * @throws IllegalArgumentException naming the key, for a startup error
     */
    public static Roots parse(
            String key, String value, Path relativeTo, Map<Path, String> own, String described, String advice) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("setting '" + key + "' is required: the directories (comma-separated,"
                    + " absolute) that runs may come from or be restored into, e.g. /data/acq");
        }
        List<Path> roots = new ArrayList<>();
        for (String part : value.split(",")) {
            String s = part.strip();
            if (s.isEmpty()) {
                continue;
            }
            if (s.startsWith("~")) {
                throw new IllegalArgumentException("bad setting '" + key + "': '" + s + "': write the directory out");
            }
            if (("/" + s + "/").contains("/../")) {
                throw new IllegalArgumentException("bad setting '" + key + "': '" + s + "' contains '..'");
            }
            Path p = Path.of(s);
            if (!p.isAbsolute()) {
                if (relativeTo == null) {
                    throw new IllegalArgumentException(
                            "bad setting '" + key + "': '" + s + "' is not an absolute directory of that host");
                }
                p = relativeTo.resolve(p);
            }
            p = p.toAbsolutePath().normalize();
            if (p.getNameCount() == 0) {
                throw new IllegalArgumentException("bad setting '" + key + "': '/' would let runs read or write every"
                        + " file of the host; name the directories that hold runs");
            }
            roots.add(p);
        }
        if (roots.isEmpty()) {
            return parse(key, null, relativeTo, own, described, advice);
        }
        Map<Path, String> normalized = new LinkedHashMap<>();
        own.forEach((dir, name) -> normalized.put(dir.toAbsolutePath().normalize(), name));
        return new Roots(roots, normalized, described, advice, key);
    }

    public List<Path> paths() {
        return roots;
    }

    public String key() {
        return key;
    }

    /** The roots for errors: "/data/acq, /mnt/detector". */
    public String list() {
        return roots.stream().map(Path::toString).collect(Collectors.joining(", "));
    }

    /**
     * The lexical check: the path as given, normalized, is under a root (and not in the router's own
     * directories). {@code what} names the path in the reason, e.g. "source_path".
     *
     * @return why it is refused, or empty
     */
    public Optional<String> outside(String what, String path) {
        Path p = Path.of(path);
        if (!p.isAbsolute()) {
            return Optional.of(what + " " + path + " is not an absolute path");
        }
        if ((path + "/").contains("/../")) {
            return Optional.of(what + " " + path + " contains '..': give the path itself");
        }
        return within(what, path, p.normalize(), roots, own, false);
    }

    /**
     * The resolved check on this host: the real path of the path (when it does not exist yet, of its
     * nearest existing ancestor, plus the rest) is under the real path of a root.
     *
     * @param mustExist a transfer's source must exist; a restore target (or a run offered before its
     *                  data is written) need not yet
     * @return the real path, to be used in place of the path as given (so that a link swapped in
     *         later is not followed by the copy)
     * @throws Refused with the reason
     */
    public Path resolveLocal(String what, String path, boolean mustExist) throws Refused {
        Optional<String> lexical = outside(what, path);
        if (lexical.isPresent()) {
            throw new Refused(lexical.get());
        }
        Path p = Path.of(path).normalize();
        Path existing = p;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            if (mustExist) {
                throw new Refused(what + " " + path + ": No such file or directory");
            }
            existing = existing.getParent();
        }
        if (existing == null) {
            throw new Refused(what + " " + path + ": no part of it exists");
        }
        Path real;
        try {
            real = existing.toRealPath().resolve(existing.relativize(p)).normalize();
        } catch (IOException e) {
            throw new Refused(what + " " + path + " cannot be resolved (" + e + "): it may be a symbolic link to"
                    + " nowhere; " + advice);
        }
        List<Path> realRoots = new ArrayList<>();
        for (Path root : roots) {
            realRoots.add(realPath(root));
        }
        Map<Path, String> realOwn = new LinkedHashMap<>();
        own.forEach((dir, name) -> realOwn.put(realPath(dir), name));
        Optional<String> refused = within(what, path, real, realRoots, realOwn, !real.equals(p));
        if (refused.isPresent()) {
            throw new Refused(refused.get());
        }
        return real;
    }

    /**
     * The resolved check of a path on another host, with the real paths that host gave
     * ({@code realpath -e} of the path, {@code realpath -m} of each root, in the order of {@link #paths()}).
     */
    public Optional<String> outsideResolved(String what, String path, String real, List<String> realRoots) {
        Path r = Path.of(real).normalize();
        List<Path> resolvedRoots = new ArrayList<>(roots);
        realRoots.forEach(root -> resolvedRoots.add(Path.of(root).normalize()));
        return within(
                what, path, r, resolvedRoots, Map.of(), !r.equals(Path.of(path).normalize()));
    }

    private Optional<String> within(
            String what, String path, Path p, List<Path> candidates, Map<Path, String> ownDirs, boolean resolved) {
        String via = resolved ? " resolves to " + p + " (through a symbolic link), which is" : " is";
        if (candidates.stream().noneMatch(p::startsWith)) {
            return Optional.of(what + " " + path + via + " outside " + described + " (" + list() + "): " + advice
                    + " or add a root to " + key);
        }
        for (Map.Entry<Path, String> dir : ownDirs.entrySet()) {
            if (p.startsWith(dir.getKey())
                    && candidates.stream().noneMatch(root -> p.startsWith(root) && root.startsWith(dir.getKey()))) {
                return Optional.of(what + " " + path + via + " inside the router's own " + dir.getValue() + " ("
                        + dir.getKey() + "), which no run may be read from or restored into, whatever "
                        + key + " says: " + advice.replace("one of them", "another directory of " + described)
                        + " (" + list() + ")");
            }
        }
        return Optional.empty();
    }

    private static Path realPath(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p; // a root that does not exist holds nothing: as written
        }
    }

    /** A path outside the roots: the reason says which, where it leads, and what to do. */
    public static final class Refused extends Exception {
        public Refused(String reason) {
            super(reason);
        }
    }
}
