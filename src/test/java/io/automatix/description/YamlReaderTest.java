package io.automatix.description;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The strict YAML reader both description formats share: its limits, its accessors, its errors. */
class YamlReaderTest {

    private final YamlReader reader = new YamlReader("f.yaml");

    /** The errors of composing {@code text} (the root must not come back). */
    private static List<String> composeErrors(String text) {
        YamlReader r = new YamlReader("f.yaml");
        assertThat(r.compose(text)).isNull();
        return r.errors().inOrderFound();
    }

    private Fields top(String text) {
        Node root = reader.compose(text);
        assertThat(root).as("composed").isNotNull();
        return reader.mapping(root, "", null);
    }

    @Test
    void errorsAreFileLineFieldReason() {
        assertThat(DescriptionErrors.format("pipelines/p.yaml", 7, "steps.A.after", "unknown step 'C'"))
                .isEqualTo("pipelines/p.yaml:7: steps.A.after: unknown step 'C'");
        assertThat(DescriptionErrors.format("pipelines/p.yaml", 1, null, "the file is empty"))
                .isEqualTo("pipelines/p.yaml:1: the file is empty");
        assertThat(DescriptionErrors.format("pipelines/p.yaml", 1, "", "expected a mapping"))
                .isEqualTo("pipelines/p.yaml:1: expected a mapping");
    }

    @Test
    void aFileTooLongTooDeepOrWithAnAliasBombIsNotComposed() {
        assertThat(composeErrors("a: " + "x".repeat(YamlReader.MAX_CHARACTERS)))
                .containsExactly("f.yaml:1: longer than 1048576 characters");
        assertThat(composeErrors("a: b\nc: " + "[".repeat(64) + "]".repeat(64) + "\n"))
                .containsExactly("f.yaml:2: nested deeper than 64 levels");
        YamlReader r = new YamlReader("f.yaml");
        assertThat(r.compose("a: " + "[".repeat(63) + "]".repeat(63) + "\n")).isNotNull(); // 64 with the mapping
        StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'i'; c++) { // 9 aliases a level: 9^8 x once expanded
            bomb.append(c + ": &" + c + " [" + String.join(", ", Collections.nCopies(9, "*" + (char) (c - 1))) + "]\n");
        }
        assertThat(composeErrors(bomb.toString()))
                .singleElement()
                .asString()
                .startsWith(
                        "f.yaml:1: not valid YAML: Number of aliases for non-scalar nodes exceeds the specified max=50");
    }

    @Test
    void aTabIndentBrokenYamlAndAnEmptyFileAreRefusedWithTheirLine() {
        assertThat(composeErrors("steps:\n\ts: {}\n"))
                .singleElement()
                .asString()
                .startsWith("f.yaml:2: not valid YAML: found character '\\t(TAB)' that cannot start any token");
        assertThat(composeErrors("a: [1, 2\nb: 3\n"))
                .singleElement()
                .asString()
                .startsWith("f.yaml:2: not valid YAML: ");
        assertThat(composeErrors("")).containsExactly("f.yaml:1: the file is empty");
        assertThat(composeErrors("# only a comment\n")).containsExactly("f.yaml:1: the file is empty");
    }

    @Test
    void invalidUtf8IsRefusedAtTheLineOfItsFirstBadByte() {
        YamlReader r = new YamlReader("f.yaml");
        byte[] latin1 = "a: 1\nb: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(r.utf8(latin1)).isNull();
        assertThat(r.errors().inOrderFound()).containsExactly("f.yaml:2: not UTF-8 (at byte offset 11)");
        assertThat(reader.utf8("b: caf\u00e9\n".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("b: caf\u00e9\n");
    }

    @Test
    void keysGivenTwiceUnknownKeysAndTagsAreRefused() {
        Node root = reader.compose("""
                name: a
                colour: blue
                name: b
                command: !!java.lang.ProcessBuilder x
                shell: !custom y
                forced: !!str 5
                env: ${HOME}
                """);
        Fields f = reader.mapping(root, "", Set.of("name", "command", "shell", "forced", "env"));
        assertThat(reader.string(f.get("name"), "name")).isEqualTo("a");
        assertThat(reader.string(f.get("command"), "command")).isNull();
        assertThat(reader.string(f.get("shell"), "shell")).isNull();
        assertThat(reader.string(f.get("forced"), "forced")).isEqualTo("5");
        assertThat(reader.string(f.get("env"), "env")).isEqualTo("${HOME}");
        assertThat(reader.errors().inOrderFound())
                .containsExactly(
                        "f.yaml:2: colour: unknown key (expected one of [command, env, forced, name, shell])",
                        "f.yaml:3: name: given twice",
                        "f.yaml:4: command: tag '!!java.lang.ProcessBuilder' is not allowed",
                        "f.yaml:5: shell: tag '!custom' is not allowed");
        YamlReader sets = new YamlReader("f.yaml");
        Fields g = sets.mapping(sets.compose("s: !!set {a: 1}\n"), "", null);
        assertThat(sets.mapping(g.get("s"), "s", null)).isNull();
        assertThat(sets.errors().inOrderFound()).containsExactly("f.yaml:1: s: tag '!!set' is not allowed");
    }

    @Test
    void theTypedAccessorsCheckShapesAndValues() {
        Fields f = top("""
                name: "a b"
                walltime: 90m
                long: 9999999999999999999999d
                retries: '007'
                count: 42
                mode: copy
                after: A
                list: [A, B]
                map: {a: 1}
                empty:
                """);
        assertThat(reader.name(f.get("name"), "name")).isNull();
        assertThat(reader.duration(f.get("walltime"), "walltime")).isEqualTo(Duration.ofMinutes(90));
        assertThat(reader.duration(f.get("long"), "long")).isNull();
        assertThat(reader.integer(f.get("retries"), "retries", 0, 99, "a number"))
                .isNull();
        assertThat(reader.integer(f.get("count"), "count", 1, 100, "a count")).isEqualTo(42);
        assertThat(reader.choice(f.get("mode"), "mode", "operation", Map.of("copy", 1, "move", 2)))
                .isEqualTo(1);
        assertThat(reader.choice(f.get("name"), "name", "operation", Map.of("copy", 1)))
                .isNull();
        assertThat(reader.oneOrMany(f.get("after"), "after")).hasSize(1);
        assertThat(reader.oneOrMany(f.get("list"), "list")).hasSize(2);
        assertThat(reader.oneOrMany(f.get("map"), "map")).isEmpty();
        assertThat(reader.list(f.get("empty"), "empty")).isEmpty();
        assertThat(reader.list(f.get("after"), "after")).isEmpty();
        assertThat(reader.string(f.get("list"), "list")).isNull();
        assertThat(reader.mapping(f.get("list"), "list", null)).isNull();
        assertThat(reader.string(f.get("empty"), "empty")).isEmpty(); // as written: key: is ""
        assertThat(reader.errors().inOrderFound())
                .containsExactly(
                        "f.yaml:1: name: 'a b' is not a valid name",
                        "f.yaml:3: long: '9999999999999999999999d' is too long a walltime",
                        "f.yaml:4: retries: '007' is not a number from 0 to 99",
                        "f.yaml:1: name: unknown operation 'a b' (expected one of [copy])",
                        "f.yaml:9: map: expected a single value or a list",
                        "f.yaml:7: after: expected a list",
                        "f.yaml:8: list: expected a single value",
                        "f.yaml:8: list: expected a mapping");
    }

    @Test
    void everyErrorIsCollectedInTheOrderFoundOrByLine() {
        Fields f = top("a: x\nb: [1]\nc: soon\n");
        reader.duration(f.get("c"), "c");
        reader.string(f.get("b"), "b");
        reader.integer(f.get("a"), "a", 0, 9, "a number");
        assertThat(reader.errors().inOrderFound())
                .containsExactly(
                        "f.yaml:3: c: 'soon' is not a walltime (e.g. 90m, 4h, 1d, 01:30:00, 2-00:00:00)",
                        "f.yaml:2: b: expected a single value",
                        "f.yaml:1: a: 'x' is not a number from 0 to 9");
        assertThat(reader.errors().byLine())
                .containsExactly(
                        "f.yaml:1: a: 'x' is not a number from 0 to 9",
                        "f.yaml:2: b: expected a single value",
                        "f.yaml:3: c: 'soon' is not a walltime (e.g. 90m, 4h, 1d, 01:30:00, 2-00:00:00)");
    }

    @Test
    void aDescriptionErrorHasEveryErrorOneALine() {
        DescriptionError e = new DescriptionError(List.of("f.yaml:1: a: x", "f.yaml:2: b: y")) {};
        assertThat(e.errors()).containsExactly("f.yaml:1: a: x", "f.yaml:2: b: y");
        assertThat(e.getMessage()).isEqualTo("f.yaml:1: a: x\nf.yaml:2: b: y");
    }

    @Test
    void scalarValuesDecideWhatAValueIsAndWhatWaits() {
        ScalarValues upper = new ScalarValues() {
            @Override
            public String value(ScalarNode node, String field, YamlReader r) {
                return node.getValue().toUpperCase();
            }

            @Override
            public boolean deferred(Node node) {
                return node.getStartMark().orElseThrow().getLine() == 1;
            }
        };
        YamlReader r = new YamlReader("f.yaml", upper);
        Fields f = r.mapping(r.compose("a: abc\nb: later\n"), "", null);
        assertThat(r.string(f.get("a"), "a")).isEqualTo("ABC");
        assertThat(r.duration(f.get("b"), "b")).isNull(); // deferred: no value, no error yet
        assertThat(r.name(f.get("b"), "b")).isEqualTo("LATER");
        assertThat(r.errors().isEmpty()).isTrue();
    }
}
