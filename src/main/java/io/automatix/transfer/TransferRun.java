package io.automatix.transfer;

/** A run claimed for transfer, as the claim returned it. */
public record TransferRun(long id, String name, String sourceHost, String sourcePath, String cluster, int attempts) {}
