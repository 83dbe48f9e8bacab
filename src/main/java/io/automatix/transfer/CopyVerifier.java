package io.automatix.transfer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.automatix.ssh.CommandResult;
import io.automatix.ssh.Shell;

/**
 * Checks a copy against its source: both directories are listed, side by side, with relative path
 * and size ({@code size}) or SHA-256 ({@code checksum}) of every file, and the listings must match.
 */
final class CopyVerifier {

    private static final String SIZES = "cd -- \"$1\" && find . -type f -printf '%P\\t%s\\n' | LC_ALL=C sort";
    private static final String CHECKSUMS =
            "cd -- \"$1\" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum";

    private final String mode;
    private final String script;
    private final Duration timeout;
    private final ExecutorService listings = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "transfer-verify");
        t.setDaemon(true);
        return t;
    });

    CopyVerifier(String mode, Duration timeout) {
        this.mode = mode;
        this.script = mode.equals("checksum") ? CHECKSUMS : SIZES;
        this.timeout = timeout;
    }

    void verify(Shell sourceShell, String source, Shell copyShell, String copy) throws TransferFailure, IOException {
        // both sides at once: on many small files the listings are a good part of the work
        CompletableFuture<CommandResult> sourceListing = CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return list(sourceShell, source);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                },
                listings);
        CommandResult copied = list(copyShell, copy);
        CommandResult original = join(sourceListing);
        Transfers.check(original, "listing the source on " + sourceShell.describe());
        Transfers.check(copied, "listing the copy on " + copyShell.describe());
        if (!original.stdout().equals(copied.stdout())) {
            List<String> a = original.stdout().lines().toList();
            List<String> b = copied.stdout().lines().toList();
            throw TransferFailure.permanent("verification failed (" + mode + "): source has " + a.size()
                    + " files, copy has " + b.size() + "; first difference: " + firstDifference(a, b));
        }
    }

    private CommandResult list(Shell shell, String directory) throws IOException {
        return shell.run(List.of("sh", "-c", script, "verify", directory), timeout);
    }

    private static CommandResult join(CompletableFuture<CommandResult> listing) throws IOException {
        try {
            return listing.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            throw e;
        }
    }

    private static String firstDifference(List<String> a, List<String> b) {
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            String x = i < a.size() ? a.get(i) : "(none)";
            String y = i < b.size() ? b.get(i) : "(none)";
            if (!x.equals(y)) {
                return "source '" + x + "' vs copy '" + y + "'";
            }
        }
        return "none";
    }
}
