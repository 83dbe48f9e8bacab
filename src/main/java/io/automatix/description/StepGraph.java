package io.automatix.description;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The graph the steps' {@code after} lists make, shared by pipelines and workflow description files. */
public final class StepGraph {

    /** More steps would make the cycle check recurse too deep; no real pipeline or workflow comes near. */
    public static final int MAX_STEPS = 1000;

    private StepGraph() {}

    /**
     * The cycles found by following {@code after} from each step in order, each once, as a path
     * that ends where it began ({@code [a, b, a]}). Names that are not steps are ignored (they are
     * reported as unknown elsewhere).
     */
    public static List<List<String>> cycles(Map<String, List<String>> after) {
        List<List<String>> cycles = new ArrayList<>();
        Set<String> done = new HashSet<>();
        for (String step : after.keySet()) {
            List<String> path = new ArrayList<>();
            if (cycle(step, after, done, path)) {
                cycles.add(List.copyOf(path));
                done.addAll(path);
            }
        }
        return cycles;
    }

    private static boolean cycle(String step, Map<String, List<String>> after, Set<String> done, List<String> path) {
        if (path.contains(step)) {
            path.subList(0, path.indexOf(step)).clear();
            path.add(step);
            return true;
        }
        if (done.contains(step) || !after.containsKey(step)) {
            return false;
        }
        path.add(step);
        for (String parent : after.get(step)) {
            if (cycle(parent, after, done, path)) {
                return true;
            }
        }
        path.remove(path.size() - 1);
        done.add(step);
        return false;
    }
}
