package io.automatix.process;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One step of a pipeline: the template of its job's script, what it asks of the batch system, the
 * steps it waits for, and how many times a failed job is tried again. {@code expected} is how long
 * its job should run (null: the walltime); past it, plus a grace, the job is late. {@code onFailure}:
 * what to do per reason its job ends for (null: the step's retries for every reason).
 */
public record Step(
        String name,
        String template,
        Duration walltime,
        Duration expected,
        String partition,
        Map<String, String> resources,
        List<String> after,
        int retries,
        Map<String, String> variables,
        RecoveryPolicy onFailure) {}
