package io.automatix.workflow;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Site configuration of workflow sessions: where sessions run by default, the storage tiers, the
 * locations (IOSEA modules) as SLURM partitions ("" for the cluster's default), the service types
 * and flavors offered, the commands a step may run, and the partition of interactive access.
 */
public record WorkflowSettings(
        boolean enabled,
        String defaultCluster,
        Path workflows,
        Map<String, Tier> tiers,
        Map<String, String> locations,
        Set<String> serviceTypes,
        Set<String> flavors,
        Set<String> commands,
        String interactivePartition,
        int concurrency,
        Duration lease,
        Duration timeout,
        Duration watchInterval) {}
