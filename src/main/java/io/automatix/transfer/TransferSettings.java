package io.automatix.transfer;

import java.time.Duration;
import java.util.List;

import io.automatix.config.Settings;

/**
 * How runs are transferred ({@code automatix.transfer.*}).
 *
 * @param mode           {@code relay}: the router host runs rsync (pulling from the source, pushing
 *                       to the cluster, through a staging directory when both are remote);
 *                       {@code push}: the source host runs rsync straight to the cluster
 * @param verify         {@code size}: the same files with the same sizes on both sides (rsync has
 *                       already checked each file's whole-file checksum); {@code checksum}: also
 *                       compare SHA-256 of every file, reading both copies again
 * @param rsyncOptions   extra rsync options from the operator, e.g. {@code --bwlimit=50M}
 */
public record TransferSettings(
        String mode,
        String verify,
        int concurrency,
        int maxAttempts,
        Duration backoff,
        Duration liveRecheck,
        Duration lease,
        Duration timeout,
        boolean removeSource,
        boolean dryRun,
        String defaultCluster,
        List<String> rsyncOptions) {

    public TransferSettings {
        if (!mode.equals("relay") && !mode.equals("push")) {
            throw new IllegalArgumentException("automatix.transfer.mode must be relay or push, not '" + mode + "'");
        }
        if (!verify.equals("size") && !verify.equals("checksum")) {
            throw new IllegalArgumentException(
                    "automatix.transfer.verify must be size or checksum, not '" + verify + "'");
        }
    }

    public static TransferSettings from(Settings settings) {
        return new TransferSettings(
                settings.get("automatix.transfer.mode"),
                settings.get("automatix.transfer.verify"),
                settings.getInt("automatix.transfer.concurrency"),
                settings.getInt("automatix.transfer.max-attempts"),
                settings.seconds("automatix.transfer.backoff-seconds"),
                settings.seconds("automatix.transfer.live-recheck-seconds"),
                settings.seconds("automatix.transfer.lease-seconds"),
                settings.seconds("automatix.transfer.timeout-seconds"),
                settings.getBoolean("automatix.transfer.remove-source"),
                settings.getBoolean("automatix.transfer.dry-run"),
                settings.get("automatix.transfer.default-cluster"),
                settings.optional("automatix.transfer.rsync-options")
                        .map(o -> List.of(o.split("\\s+")))
                        .orElse(List.of()));
    }

    /** The wait before attempt n+1: the back-off doubled for each attempt made, at most an hour. */
    public Duration backoffAfter(int attempts) {
        long factor = 1L << Math.min(Math.max(attempts - 1, 0), 12);
        Duration d = backoff.multipliedBy(factor);
        return d.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : d;
    }
}
