package io.automatix.run;

/** The outcome of offering a run: the run as stored, and whether this offer created it. */
public record Ingested(Run run, boolean created) {}
