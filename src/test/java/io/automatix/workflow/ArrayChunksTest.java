package io.automatix.workflow;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArrayChunksTest {

    @Test
    void aStepThatFitsIsOneArrayUnderTheStepsJobName() {
        assertThat(ArrayChunks.split("wf-3.fan.1", 1001, 1001))
                .containsExactly(new ArrayChunks.Chunk("wf-3.fan.1", 0, 1001));
        assertThat(ArrayChunks.split("wf-3.fan.1", 1, 1001).get(0).taskName(0)).isEqualTo("wf-3.fan.1_0");
    }

    @Test
    void aLargerStepIsSplitIntoArraysOfAtMostTheLimitEachFromTaskZero() {
        List<ArrayChunks.Chunk> chunks = ArrayChunks.split("wf-3.fan.1", 2500, 1001);
        assertThat(chunks)
                .containsExactly(
                        new ArrayChunks.Chunk("wf-3.fan.1.c0", 0, 1001),
                        new ArrayChunks.Chunk("wf-3.fan.1.c1", 1001, 1001),
                        new ArrayChunks.Chunk("wf-3.fan.1.c2", 2002, 498));
        // value 2002 is task 0 of the third array; the last value, 2499, its task 497
        assertThat(chunks.get(2).taskName(0)).isEqualTo("wf-3.fan.1.c2_0");
        assertThat(chunks.get(2).taskName(2499 - chunks.get(2).offset())).isEqualTo("wf-3.fan.1.c2_497");
        assertThat(ArrayChunks.split("wf-3.fan.1", 2002, 1001)).hasSize(2);
        // the same step, count and limit: the same names (a router planning it again finds them)
        assertThat(ArrayChunks.split("wf-3.fan.1", 2500, 1001)).isEqualTo(chunks);
    }

    @Test
    void aLimitOfOneMakesAnArrayPerValue() {
        assertThat(ArrayChunks.split("s", 3, 1))
                .extracting(ArrayChunks.Chunk::name)
                .containsExactly("s.c0", "s.c1", "s.c2");
    }

    @Test
    void nothingToSplitIsAMistake() {
        assertThatThrownBy(() -> ArrayChunks.split("s", 0, 1001)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ArrayChunks.split("s", 3, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
