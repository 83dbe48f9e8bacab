package io.automatix.workflow;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import io.automatix.config.Settings;
import io.automatix.scheduler.SubmitOptions;

/**
 * Site configuration of workflow sessions: where sessions run by default, the storage tiers, the
 * locations (IOSEA modules) as SLURM partitions ("" for the cluster's default), the service types
 * and flavors offered, the commands a step may run (with their options), and the partition of
 * interactive access.
 */
public record WorkflowSettings(
        boolean enabled,
        String defaultCluster,
        Path workflows,
        Map<String, Tier> tiers,
        Map<String, String> locations,
        Set<String> serviceTypes,
        Set<String> flavors,
        CommandPolicy commands,
        String interactivePartition,
        int concurrency,
        Duration lease,
        Duration timeout,
        Duration watchInterval) {

    private static final String TIERS = "automatix.workflow.tiers.";
    private static final String LOCATIONS = "automatix.workflow.locations.";

    /**
     * Tiers and locations are families of settings: automatix.workflow.tiers.<name>, ...locations.<name>.
     * A relative tier directory is under the data directory (for the local cluster).
     */
    public static WorkflowSettings from(Settings settings, Path data) {
        Map<String, Tier> tiers = new HashMap<>();
        settings.withPrefix(TIERS).forEach((k, v) -> {
            String name = k.toString().substring(TIERS.length());
            String value = v.toString().strip();
            if (!value.startsWith("/") && !value.startsWith("s3://")) {
                value = data.resolve(value).toString(); // a directory of the local cluster, under the data directory
            }
            tiers.put(name, Tier.parse(name, value));
        });
        Map<String, String> locations = new HashMap<>();
        settings.withPrefix(LOCATIONS)
                .forEach((k, v) -> locations.put(
                        k.toString().substring(LOCATIONS.length()), v.toString().strip()));
        String cluster = settings.optional("automatix.workflow.default-cluster")
                .orElse(settings.get("automatix.transfer.default-cluster"));
        return new WorkflowSettings(
                settings.getBoolean("automatix.workflow.enabled"),
                cluster,
                Path.of(settings.get("automatix.home-dir")).resolve("workflows"),
                Map.copyOf(tiers),
                Map.copyOf(locations),
                list(settings, "automatix.workflow.service-types"),
                list(settings, "automatix.workflow.flavors"),
                new CommandPolicy(
                        list(settings, CommandPolicy.COMMANDS),
                        optionNames(settings, CommandPolicy.SUBMIT_OPTIONS + "."),
                        optionNames(settings, CommandPolicy.SUBMIT_OPTIONS + "-unchecked.")),
                settings.optional("automatix.workflow.interactive-partition").orElse(""),
                settings.getInt("automatix.workflow.concurrency"),
                settings.seconds("automatix.workflow.lease-seconds"),
                settings.seconds("automatix.workflow.timeout-seconds"),
                settings.millis("automatix.workflow.watch-ms"));
    }

    /** A family {@code <prefix><program> = --a,--b}: the option names by program. */
    private static Map<String, Set<String>> optionNames(Settings settings, String prefix) {
        Map<String, Set<String>> names = new HashMap<>();
        settings.withPrefix(prefix)
                .forEach((k, v) -> names.put(
                        k.toString().substring(prefix.length()), SubmitOptions.names(k.toString(), v.toString())));
        return names;
    }

    private static Set<String> list(Settings settings, String key) {
        return Set.of(settings.get(key).split("\\s*,\\s*"));
    }
}
