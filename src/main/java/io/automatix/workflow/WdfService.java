package io.automatix.workflow;

/**
 * An ephemeral service of a workflow ({@code type} e.g. NFS, SBB, GBF) with its attributes;
 * {@code namespace}, {@code mountpoint} (absolute) and {@code flavor} are null when not given.
 */
public record WdfService(String name, String type, String namespace, String mountpoint, String flavor) {}
