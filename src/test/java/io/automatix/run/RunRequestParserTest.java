package io.automatix.run;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunRequestParserTest {

    private final RunRequestParser parser = new RunRequestParser(Set.of("local", "brown")::contains);

    private RunRequest parse(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsAFullOffer() {
        RunRequest r = parse("{\"type\":\"run\",\"version\":1,\"name\":\"run_2024-01.a\",\"source_host\":\"daq-1.lab\","
                + "\"source_path\":\"/data/raw/run_2024-01.a\",\"pipeline\":\"cybershake\",\"cluster\":\"brown\","
                + "\"metadata\":{\"events\":12,\"tags\":[\"a\"]}}");
        assertThat(r.name()).isEqualTo("run_2024-01.a");
        assertThat(r.sourceHost()).isEqualTo("daq-1.lab");
        assertThat(r.sourcePath()).isEqualTo("/data/raw/run_2024-01.a");
        assertThat(r.pipeline()).isEqualTo("cybershake");
        assertThat(r.cluster()).isEqualTo("brown");
        assertThat(r.metadata()).containsEntry("events", 12);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "x; touch /tmp/pwned",
                "..",
                ".hidden",
                "-rf",
                "a b",
                "a/b",
                "a\nb",
                "$(id)",
                "`id`",
                "run*",
                "",
                "ünïcode"
            })
    void refusesHostileNames(String name) {
        String json = "{\"name\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(name) + "}";
        assertThatThrownBy(() -> parse(json))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("name"));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"name\":\"a\",\"source_path\":\"/x/../../etc\"}|source_path",
                "{\"name\":\"a\",\"source_path\":\"/x/..\"}|source_path",
                "{\"name\":\"a\",\"source_path\":\"/x;rm -rf /\"}|source_path",
                "{\"name\":\"a\",\"source_host\":\"-oProxyCommand=id\"}|source_host",
                "{\"name\":\"a\",\"source_host\":\"user@host\"}|source_host",
                "{\"name\":\"a\",\"cluster\":\"elsewhere\"}|cluster",
                "{\"name\":\"a\",\"pipeline\":\"../p\"}|pipeline",
                "{\"name\":\"a\",\"metadata\":\"text\"}|metadata",
                "{\"name\":\"a\",\"type\":\"job\"}|type",
                "{\"name\":\"a\",\"version\":\"1\"}|version",
                "{\"name\":\"a\",\"extra\":1}|extra",
                "{\"name\":[\"a\"]}|name"
            })
    void namesTheFieldAtFault(String json, String field) {
        assertThatThrownBy(() -> parse(json))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo(field));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "null", "42", "\"name\"", "[]", "{", "{\"name\":\"a\"} trailing", "{\"name\":NaN}"})
    void refusesWhatIsNotAnObject(String json) {
        assertThatThrownBy(() -> parse(json))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).field()).isNull());
    }

    @Test
    void refusesOversizedAndDeeplyNestedBodies() {
        String big = "{\"name\":\"a\",\"metadata\":{\"x\":\"" + "y".repeat(RunRequestParser.MAX_BYTES) + "\"}}";
        assertThatThrownBy(() -> parse(big)).hasMessageContaining("exceeds");
        String deep = "{\"name\":\"a\",\"metadata\":" + "{\"a\":".repeat(100) + "1" + "}".repeat(100) + "}";
        assertThatThrownBy(() -> parse(deep)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void errorsEchoInputWithoutControlCharacters() {
        assertThatThrownBy(() -> parse("{\"name\":\"a\\u001b[31mred\"}"))
                .hasMessageNotContaining("\u001b")
                .hasMessageContaining("\\u001b");
    }
}
