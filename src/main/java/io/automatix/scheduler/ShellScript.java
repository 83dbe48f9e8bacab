package io.automatix.scheduler;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A POSIX sh script fed to {@code sh -s} on a cluster: one round trip for a whole batch of jobs,
 * with no limit on its size (argv has one). File contents go in quoted here-documents whose
 * delimiter is random, so no content can end them early or be expanded.
 */
final class ShellScript {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final StringBuilder text = new StringBuilder("set -u\numask 077\n");
    private final String delimiter = "AUTOMATIX_EOF_" + HexFormat.of().formatHex(RANDOM.generateSeed(8));

    ShellScript line(String line) {
        text.append(line).append('\n');
        return this;
    }

    /**
     * A command reading a here-document: {@code header <<'DELIM'}, the content, the delimiter. The
     * header may open a compound command ({@code if mkdir ... && cat > f}) that later lines close.
     */
    ShellScript heredoc(String header, String content) {
        return heredoc(header, content, "");
    }

    /**
     * A here-document whose command line goes on after it ({@code header <<'DELIM' && next &&}): an
     * {@code after} ending in {@code &&} continues the list on the line after the delimiter.
     */
    ShellScript heredoc(String header, String content, String after) {
        check(content);
        text.append(header)
                .append(" <<'")
                .append(delimiter)
                .append("'")
                .append(after)
                .append("\n")
                .append(content);
        if (!content.isEmpty() && !content.endsWith("\n")) {
            text.append('\n');
        }
        text.append(delimiter).append('\n');
        return this;
    }

    private void check(String content) {
        if (content.contains(delimiter)) {
            throw new IllegalArgumentException("content contains the here-document delimiter");
        }
    }

    byte[] bytes() {
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
