package io.automatix.supervise;

import java.util.List;
import java.util.Map;

/**
 * A supervision with the job it is about (a run's, or a workflow step's: {@code runId} null,
 * {@code runName} its session's), as formatting and dispatch need them: where the job's files are,
 * the script it ran, its next attempt's name, and a step's command when it is one.
 */
record Incident(
        long id,
        String trigger,
        int level,
        int incidentAttempt,
        String dispatchStatus,
        int dispatchAttempts,
        String script,
        long jobId,
        String step,
        String cluster,
        String jobName,
        String schedulerJobId,
        int attempt,
        String jobState,
        String partition,
        long walltimeSeconds,
        Integer exitCode,
        String lastError,
        Long runId,
        String runName,
        String directory,
        Integer parameterIndex,
        String scriptName,
        String nextName,
        List<String> command,
        String workdir,
        Map<String, String> environment) {}
