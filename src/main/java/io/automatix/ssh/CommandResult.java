package io.automatix.ssh;

/** What a command did: exit status (-1 when unknown), its output, and whether it ran out of time. */
public record CommandResult(int exitCode, String stdout, String stderr, boolean timedOut) {

    public boolean succeeded() {
        return exitCode == 0 && !timedOut;
    }

    /** One line for logs and last_error: the status and the end of stderr. */
    public String summary() {
        String err = stderr == null ? "" : stderr.strip();
        if (err.length() > 500) {
            err = "..." + err.substring(err.length() - 500);
        }
        return (timedOut ? "timed out" : "exit " + exitCode) + (err.isEmpty() ? "" : ": " + err.replace('\n', ' '));
    }
}
