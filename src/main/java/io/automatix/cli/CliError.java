package io.automatix.cli;

/** What the user is told in one line (a WDF's errors follow, one per line), with exit status 1. */
final class CliError extends RuntimeException {

    CliError(String message) {
        super(message);
    }
}
