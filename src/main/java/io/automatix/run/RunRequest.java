package io.automatix.run;

import java.util.Map;

/** A run offered by an acquisition system, already validated. */
public record RunRequest(
        String name,
        String sourceHost,
        String sourcePath,
        String pipeline,
        String cluster,
        Map<String, Object> metadata) {}
