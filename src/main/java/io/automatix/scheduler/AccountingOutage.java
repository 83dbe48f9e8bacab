package io.automatix.scheduler;

import java.time.Instant;

/** A batch system's accounting that does not answer: since when, and what its command said. */
public record AccountingOutage(Instant since, String error) {}
