package io.automatix.event;

import io.automatix.config.Settings;

/**
 * The event publisher's settings ({@code automatix.events.*}).
 *
 * @param batchSize    events published per outbox pass
 * @param leaseSeconds when a router's unconfirmed claims pass to others
 */
public record EventSettings(int batchSize, int leaseSeconds) {

    public static EventSettings from(Settings settings) {
        return new EventSettings(
                settings.getInt("automatix.events.batch-size"), settings.getInt("automatix.events.lease-seconds"));
    }
}
