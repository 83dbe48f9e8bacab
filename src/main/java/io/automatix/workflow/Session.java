package io.automatix.workflow;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A workflow session: a WDF started by its owner, with the variables it was started with. The
 * file's text is kept as it was started, so that editing the file does not change a live session.
 */
public record Session(
        long id,
        String name,
        String owner,
        String workflow,
        String wdf,
        Map<String, String> variables,
        String cluster,
        String directory,
        SessionStatus status,
        List<String> sharedWith,
        String shareTokenSha256,
        boolean forceStop,
        String lastError,
        Instant createdAt,
        Instant stoppedAt) {

    public boolean live() {
        return status != SessionStatus.STOPPED && status != SessionStatus.FAILED;
    }

    /** The name of the scheduler job of a step's instance (task i of it: {@code <name>_<i>}). */
    public String jobName(String step, int instance) {
        return "wf-" + id + "." + step + "." + instance;
    }
}
