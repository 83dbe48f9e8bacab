package io.automatix.event;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** One recorded transition, as published on automatix.events (routing key = type). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Event(
        long id,
        String type,
        String at,
        String actor,
        String entity,
        long entityId,
        String entityName,
        String fromState,
        String toState,
        Map<String, Object> detail) {

    /** Message format version, for consumers. */
    @JsonProperty("version")
    public int version() {
        return 1;
    }
}
