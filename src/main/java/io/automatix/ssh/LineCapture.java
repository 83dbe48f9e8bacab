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
    public synchronized void write(int b) {
        if (all.size() < LIMIT) {
            all.write(b);
        } else {
            truncated = true;
        }
        if (lines == null) {
            return;
        }
        if (b == '\n' || b == '\r') {
            if (line.size() > 0) {
                lines.accept(line.toString(StandardCharsets.UTF_8));
                line.reset();
            }
        } else if (line.size() < 64 * 1024) {
            line.write(b);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            write(b[i]);
        }
    }

    synchronized String text() {
        return all.toString(StandardCharsets.UTF_8) + (truncated ? "\n[output truncated]" : "");
    }
}
