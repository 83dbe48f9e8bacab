package io.automatix.ssh;

import java.io.IOException;

/**
 * A host could not be reached or logged in to, said so that an operator can act: which cluster or
 * source host, what went wrong (naming the file involved) and what to do. An IOException, so the
 * work that met it waits and retries, as for any unreachable host.
 */
public class SshFailure extends IOException {

    private final String problem;
    private final String fix;

    public SshFailure(SshTarget target, String problem, String fix) {
        this(target, problem, fix, null);
    }

    public SshFailure(SshTarget target, String problem, String fix, Throwable cause) {
        super(target.name() + " (" + target + "): " + problem + ". To fix: " + fix, cause);
        this.problem = problem;
        this.fix = fix;
    }

    /** What went wrong (without the target and the fix). */
    public String problem() {
        return problem;
    }

    /** What to do about it. */
    public String fix() {
        return fix;
    }
}
