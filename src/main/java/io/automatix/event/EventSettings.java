package io.automatix.event;

import io.automatix.config.Settings;

/**
 * The event publisher's and retention's settings ({@code automatix.events.*}).
 *
 * @param batchSize      events published per outbox pass
 * @param leaseSeconds   when a router's unconfirmed claims pass to others
 * @param retentionDays  age past which published events are summarised and deleted (0: never)
 * @param retentionBatch events summarised per transaction
 */
public record EventSettings(int batchSize, int leaseSeconds, int retentionDays, int retentionBatch) {

    public static EventSettings from(Settings settings) {
        return new EventSettings(
                settings.getInt("automatix.events.batch-size"),
                settings.getInt("automatix.events.lease-seconds"),
                settings.getInt("automatix.events.retention-days"),
                settings.getInt("automatix.events.retention-batch"));
    }
}
