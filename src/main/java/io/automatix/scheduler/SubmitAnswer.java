package io.automatix.scheduler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;

/**
 * Reads what a submission script printed (the lines common.sh lists) into one result per job that
 * was answered for; a job without a result may or may not have been submitted.
 */
final class SubmitAnswer {

    private SubmitAnswer() {}

    static List<SubmitResult> parse(BatchSystem system, String stdout) {
        List<SubmitResult> results = new ArrayList<>();
        Map<String, List<String>> answers = new HashMap<>();
        for (String line : stdout.split("\n")) {
            String[] f = line.split(" ", 3);
            if (f.length < 3) {
                continue;
            }
            String name = f[1];
            String rest = f[2].strip();
            switch (f[0]) {
                case "answer" ->
                    answers.computeIfAbsent(name, k -> new ArrayList<>()).add(f[2]);
                case "done" ->
                    results.add(done(system, name, rest, Objects.requireNonNullElse(answers.remove(name), List.of())));
                case "found" ->
                    results.add(new SubmitResult(
                            name, SubmitResult.Outcome.FOUND, rest.equals("-") ? null : rest, null, null));
                case "refused" -> results.add(refused(system, name, rest));
                case "rejected" -> results.add(new SubmitResult(name, SubmitResult.Outcome.REJECTED, null, rest, null));
                default -> {}
            }
        }
        return results;
    }

    /** The submit command returned {@code "<exit status> <time>"} after printing {@code answer}. */
    private static SubmitResult done(BatchSystem system, String name, String statusAndTime, List<String> answer) {
        String[] f = statusAndTime.split(" ");
        String text = String.join(" ", answer).strip();
        if (!f[0].equals("0")) {
            return refused(system, name, text);
        }
        String id = null;
        for (String line : answer) {
            Matcher m = system.jobId().matcher(line);
            if (m.matches()) {
                id = m.group("id");
            }
        }
        if (id == null) {
            return new SubmitResult(
                    name, SubmitResult.Outcome.REJECTED, null, "the command printed no job id: " + text, null);
        }
        return new SubmitResult(
                name, SubmitResult.Outcome.SUBMITTED, id, null, f.length > 1 ? ShellScheduler.epoch(f[1]) : null);
    }

    private static SubmitResult refused(BatchSystem system, String name, String text) {
        return new SubmitResult(
                name,
                system.permanentRefusal().matcher(text).find()
                        ? SubmitResult.Outcome.REJECTED
                        : SubmitResult.Outcome.REFUSED,
                null,
                text,
                null);
    }
}
