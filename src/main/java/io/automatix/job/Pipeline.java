package io.automatix.job;

import java.util.List;
import java.util.Optional;

/** The steps of a run, in file order, from {@code pipelines/<name>.yaml}. */
public record Pipeline(String name, String file, List<Step> steps) {

    public Optional<Step> step(String name) {
        return steps.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
