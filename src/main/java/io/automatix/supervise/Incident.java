package io.automatix.supervise;

/** A supervision with the job and run it is about, as formatting and dispatch need them. */
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
        long runId,
        String runName) {}
