package io.automatix.run;

import java.util.Map;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** A run as the runs database has it. Times are ISO-8601 strings. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Run(
        long id,
        String name,
        String sourceHost,
        String sourcePath,
        String rawStatus,
        String rawLocation,
        String processedStatus,
        String pipeline,
        String cluster,
        Map<String, Object> metadata,
        int attempts,
        String lastError,
        String createdAt,
        String updatedAt) {}
