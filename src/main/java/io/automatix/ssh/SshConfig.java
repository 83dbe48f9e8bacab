package io.automatix.ssh;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An OpenSSH client configuration file ({@code ssh_config(5)}), read the way ssh(1) reads it: every
 * {@code Host} block whose patterns match the name given on the command line applies, in file order,
 * and for each keyword the first value obtained wins ({@code IdentityFile} and {@code CertificateFile}
 * accumulate). MINA's own reader lets the last value in a block win and refuses {@code Match}, so the
 * router reads the file itself. {@code Include} is followed; of {@code Match}, only {@code all},
 * {@code host} and {@code originalhost} are understood (other criteria never match).
 */
public final class SshConfig {

    /** Keywords whose every occurrence counts, not only the first. */
    private static final Set<String> ACCUMULATING = Set.of("identityfile", "certificatefile");

    private static final int MAX_INCLUDE_DEPTH = 16;

    private final Path file;
    private final List<Block> blocks;

    /** One {@code Host} or {@code Match} block (the lines before the first are a block matching all). */
    private record Block(Condition condition, List<List<String>> lines) {}

    @FunctionalInterface
    private interface Condition {
        boolean matches(String host);
    }

    private SshConfig(Path file, List<Block> blocks) {
        this.file = file;
        this.blocks = blocks;
    }

    /** An empty configuration (no file). */
    public static SshConfig none() {
        return new SshConfig(null, List.of());
    }

    public static SshConfig read(Path file) throws IOException {
        List<Block> blocks = new ArrayList<>();
        blocks.add(new Block(host -> true, new ArrayList<>()));
        parse(file, blocks, 0);
        return new SshConfig(file, blocks);
    }

    /** The file read, or null. */
    public Path file() {
        return file;
    }

    /**
     * The settings that apply to a host as named on the command line: keyword (lower case) to its
     * arguments; an accumulating keyword's occurrences are joined in order.
     */
    public Map<String, List<String>> settings(String host) {
        Map<String, List<String>> settings = new LinkedHashMap<>();
        for (Block block : blocks) {
            if (!block.condition().matches(host)) {
                continue;
            }
            for (List<String> line : block.lines()) {
                String keyword = line.get(0);
                List<String> args = line.subList(1, line.size());
                if (ACCUMULATING.contains(keyword)) {
                    settings.computeIfAbsent(keyword, k -> new ArrayList<>()).addAll(args);
                } else {
                    settings.putIfAbsent(keyword, List.copyOf(args));
                }
            }
        }
        return settings;
    }

    /** The first value of a keyword for a host, or null. */
    public String value(String host, String keyword) {
        List<String> args = settings(host).get(keyword.toLowerCase(Locale.ROOT));
        return args == null || args.isEmpty() ? null : String.join(" ", args);
    }

    private static void parse(Path file, List<Block> blocks, int depth) throws IOException {
        if (depth > MAX_INCLUDE_DEPTH) {
            throw new IOException(file + ": Include nested more than " + MAX_INCLUDE_DEPTH + " deep (a loop?)");
        }
        int number = 0;
        for (String raw : Files.readAllLines(file)) {
            number++;
            List<String> words = words(raw);
            if (words.isEmpty()) {
                continue;
            }
            String keyword = words.get(0).toLowerCase(Locale.ROOT);
            List<String> args = words.subList(1, words.size());
            if (args.isEmpty()) {
                throw new IOException(file + " line " + number + ": '" + words.get(0) + "' has no value");
            }
            switch (keyword) {
                case "host" -> blocks.add(new Block(hostCondition(List.copyOf(args)), new ArrayList<>()));
                case "match" -> blocks.add(new Block(matchCondition(List.copyOf(args)), new ArrayList<>()));
                case "include" -> {
                    for (String pattern : args) {
                        for (Path included : includes(file, pattern)) {
                            // included lines belong to the block the Include is in, as in ssh(1)
                            Block current = blocks.get(blocks.size() - 1);
                            List<Block> nested = new ArrayList<>();
                            nested.add(new Block(current.condition(), current.lines()));
                            parse(included, nested, depth + 1);
                            blocks.addAll(nested.subList(1, nested.size()));
                        }
                    }
                }
                default -> {
                    List<String> line = new ArrayList<>();
                    line.add(keyword);
                    line.addAll(args);
                    blocks.get(blocks.size() - 1).lines().add(List.copyOf(line));
                }
            }
        }
    }

    /** Include: relative names are under ~/.ssh; the last name element may hold wildcards. */
    private static List<Path> includes(Path from, String pattern) throws IOException {
        Path path = Path.of(tilde(pattern));
        if (!path.isAbsolute()) {
            path = Path.of(System.getProperty("user.home"), ".ssh").resolve(path);
        }
        Path dir = path.getParent();
        String glob = path.getFileName().toString();
        List<Path> found = new ArrayList<>();
        if (dir == null || !Files.isDirectory(dir)) {
            return found;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, glob)) {
            stream.forEach(p -> {
                if (Files.isRegularFile(p)) {
                    found.add(p);
                }
            });
        }
        found.sort(null);
        return found;
    }

    private static Condition hostCondition(List<String> patterns) {
        return host -> matchesList(host, patterns);
    }

    private static Condition matchCondition(List<String> criteria) {
        String first = criteria.get(0).toLowerCase(Locale.ROOT);
        if (first.equals("all")) {
            return host -> true;
        }
        if ((first.equals("host") || first.equals("originalhost")) && criteria.size() == 2) {
            List<String> patterns = List.of(criteria.get(1).split(","));
            return host -> matchesList(host, patterns);
        }
        return host -> false;
    }

    /** A pattern list matches when one pattern does and no negated ({@code !}) pattern does. */
    static boolean matchesList(String host, List<String> patterns) {
        boolean matched = false;
        for (String pattern : patterns) {
            if (pattern.startsWith("!")) {
                if (wildcard(host, pattern.substring(1))) {
                    return false;
                }
            } else if (wildcard(host, pattern)) {
                matched = true;
            }
        }
        return matched;
    }

    /** {@code *} any run of characters, {@code ?} exactly one; case-insensitive as host names are. */
    static boolean wildcard(String text, String pattern) {
        String t = text.toLowerCase(Locale.ROOT);
        String p = pattern.toLowerCase(Locale.ROOT);
        int ti = 0;
        int pi = 0;
        int star = -1;
        int mark = 0;
        while (ti < t.length()) {
            if (pi < p.length() && (p.charAt(pi) == '?' || p.charAt(pi) == t.charAt(ti))) {
                ti++;
                pi++;
            } else if (pi < p.length() && p.charAt(pi) == '*') {
                star = pi++;
                mark = ti;
            } else if (star >= 0) {
                pi = star + 1;
                ti = ++mark;
            } else {
                return false;
            }
        }
        while (pi < p.length() && p.charAt(pi) == '*') {
            pi++;
        }
        return pi == p.length();
    }

    /** A line's words: keyword, then arguments; {@code keyword=value} and double quotes as ssh(1) takes them. */
    static List<String> words(String line) {
        String s = line.strip();
        List<String> words = new ArrayList<>();
        if (s.isEmpty() || s.startsWith("#")) {
            return words;
        }
        int i = 0;
        while (i < s.length() && !Character.isWhitespace(s.charAt(i)) && s.charAt(i) != '=') {
            i++;
        }
        words.add(s.substring(0, i));
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        if (i < s.length() && s.charAt(i) == '=') {
            i++;
        }
        StringBuilder word = null;
        boolean quoted = false;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                if (word == null) {
                    word = new StringBuilder();
                }
            } else if (!quoted && Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else if (!quoted && c == '#' && word == null) {
                break; // a comment after the arguments
            } else {
                if (word == null) {
                    word = new StringBuilder();
                }
                word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }

    static String tilde(String path) {
        return path.equals("~") || path.startsWith("~/") ? System.getProperty("user.home") + path.substring(1) : path;
    }
}
