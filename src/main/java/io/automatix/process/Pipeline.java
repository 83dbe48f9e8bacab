package io.automatix.process;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The steps of a run, in file order, from {@code pipelines/<name>.yaml}. */
public record Pipeline(String name, String file, List<Step> steps) {

    /** The steps with every step after the steps it waits for (the parser refused cycles). */
    public List<Step> parentsFirst() {
        List<Step> ordered = new ArrayList<>();
        List<Step> left = new ArrayList<>(steps);
        while (!left.isEmpty()) {
            left.removeIf(s -> {
                boolean ready = s.after().stream()
                        .allMatch(a -> ordered.stream().anyMatch(o -> o.name().equals(a)));
                if (ready) {
                    ordered.add(s);
                }
                return ready;
            });
        }
        return ordered;
    }

    public Optional<Step> step(String name) {
        return steps.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
