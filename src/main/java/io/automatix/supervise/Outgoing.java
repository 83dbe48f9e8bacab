package io.automatix.supervise;

/** A message the supervise routes publish: its exchange (each fans out to a queue and its .debug twin) and body. */
public record Outgoing(String exchange, String body) {

    public static final String FORMAT = "automatix.supervisor.format";
    public static final String DISPATCH = "automatix.supervisor.dispatch";
    public static final String ALERTS = "automatix.alerts";
}
