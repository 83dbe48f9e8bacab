package io.automatix.run;

/**
 * The ingest flow's work: a run offered over AMQP or HTTP is validated and recorded once, however
 * often it is offered. (Runs inserted straight into the database are validated by its constraints.)
 */
public final class RunIngest {

    private final RunRequestParser parser;
    private final RunStore store;

    public RunIngest(RunRequestParser parser, RunStore store) {
        this.parser = parser;
        this.store = store;
    }

    /** @throws InvalidInputException when the offer can never be accepted as sent */
    public Ingested offer(byte[] body, String actor) {
        return store.insertIfAbsent(parser.parse(body), actor);
    }

    /** An offer over the API: the run belongs to the offering user and the group it named (or none). */
    public Ingested offer(byte[] body, String actor, String owner, String group) {
        return store.insertIfAbsent(parser.parse(body), actor, owner, group);
    }

    public Run find(String name) {
        if (name == null || !RunRequestParser.NAME.matcher(name).matches()) {
            throw new InvalidInputException("name", "not a run name");
        }
        return store.find(name).orElseThrow(() -> new RunNotFoundException(name));
    }
}
