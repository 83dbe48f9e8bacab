package io.automatix.run;

/**
 * The ingest flow's work: a run offered over AMQP or HTTP is validated and recorded once, however
 * often it is offered. (Runs inserted straight into the database are validated by its constraints,
 * and their source paths by the transfer before it copies anything.)
 */
public final class RunIngest {

    private final RunRequestParser parser;
    private final RunStore store;
    private final SourceCheck sources;

    public RunIngest(RunRequestParser parser, RunStore store, SourceCheck sources) {
        this.parser = parser;
        this.store = store;
        this.sources = sources;
    }

    /**
     * @throws InvalidInputException when the offer can never be accepted as sent, its source_path
     *     outside its source's roots included (nothing is recorded, nothing copied)
     */
    public Ingested offer(byte[] body, String actor) {
        return store.insertIfAbsent(checked(body), actor);
    }

    /** An offer over the API: the run belongs to the offering user and the group it named (or none). */
    public Ingested offer(byte[] body, String actor, String owner, String group) {
        return store.insertIfAbsent(checked(body), actor, owner, group);
    }

    private RunRequest checked(byte[] body) {
        RunRequest request = parser.parse(body);
        if (request.sourcePath() != null) {
            sources.refusal(request.sourceHost(), request.sourcePath()).ifPresent(reason -> {
                throw new InvalidInputException("source_path", reason);
            });
        }
        return request;
    }

    public Run find(String name) {
        if (name == null || !RunRequestParser.NAME.matcher(name).matches()) {
            throw new InvalidInputException("name", "not a run name");
        }
        return store.find(name).orElseThrow(() -> new RunNotFoundException(name));
    }
}
