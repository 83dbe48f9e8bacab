package io.automatix.process;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A job this router claimed for submission, with what its script or command is made from. {@code
 * recovered}: it was already submitting (its outcome unknown), so it is looked up before it is
 * submitted. A run's job has the run's fields; a workflow step's job has its command or template,
 * environment and directories, and the array it is a task of ({@code arrayName} null: submitted on
 * its own): its task {@code arrayIndex} of {@code arraySize}, at most {@code arrayThrottle} running at
 * once (0: no throttle). {@code resourceOverrides}: resources of this attempt that differ from its step's (a
 * recovery policy's more memory), empty when none.
 */
public record ClaimedJob(
        long id,
        Kind kind,
        long runId,
        String step,
        String cluster,
        String name,
        int attempt,
        String partition,
        Duration walltime,
        boolean recovered,
        String runName,
        String pipeline,
        String metadata,
        String rawLocation,
        String directory,
        List<String> command,
        String template,
        Map<String, Object> templateModel,
        Map<String, String> environment,
        String workdir,
        String arrayName,
        int arraySize,
        int arrayIndex,
        int arrayThrottle,
        String parameter,
        Integer parameterIndex,
        Map<String, String> resourceOverrides) {

    /** What a job belongs to, and so how its submission is made. */
    public enum Kind {
        RUN,
        STEP
    }

    /** The name the scheduler knows its submission by: the array's for a task of one. */
    String submissionName() {
        return arrayName != null ? arrayName : name;
    }
}
