package io.automatix.ssh;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Keeps a command's output (up to a limit, so a runaway command cannot exhaust the heap) and
 * hands each line to a listener as it arrives.
 */
final class LineCapture extends OutputStream {

    private static final int LIMIT = 16 * 1024 * 1024;

    private final Consumer<String> lines;
    private final ByteArrayOutputStream all = new ByteArrayOutputStream();
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private boolean truncated;

    LineCapture(Consumer<String> lines) {
        this.lines = lines;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        int keep = Math.min(len, LIMIT - all.size());
        if (keep > 0) {
            all.write(b, off, keep);
        }
        truncated |= keep < len;
        if (lines == null) {
            return;
        }
        int from = off;
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n' || b[i] == '\r') {
                appendToLine(b, from, i - from);
                if (line.size() > 0) {
                    lines.accept(line.toString(StandardCharsets.UTF_8));
                    line.reset();
                }
                from = i + 1;
            }
        }
        appendToLine(b, from, off + len - from);
    }

    private void appendToLine(byte[] b, int off, int len) {
        int room = Math.min(len, 64 * 1024 - line.size());
        if (room > 0) {
            line.write(b, off, room);
        }
    }

    synchronized String text() {
        return all.toString(StandardCharsets.UTF_8) + (truncated ? "\n[output truncated]" : "");
    }
}
