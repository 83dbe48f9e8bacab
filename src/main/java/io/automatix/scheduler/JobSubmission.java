package io.automatix.scheduler;

import java.time.Duration;
import java.util.Map;

/**
 * One job to submit: its deterministic name, the directory of its files on the cluster (script,
 * output and status file, named after the job), the rendered script and what the batch system is
 * asked for. {@code lookUpFirst} is set when an earlier submission's outcome is unknown (a router
 * died, a connection broke): the scheduler then looks the name up and submits only if it finds
 * nothing.
 */
public record JobSubmission(String name, String directory, String script, String partition, Duration walltime,
                            Map<String, String> resources, boolean lookUpFirst) {

    public String statusFile() {
        return directory + "/" + name + ".status";
    }
}
