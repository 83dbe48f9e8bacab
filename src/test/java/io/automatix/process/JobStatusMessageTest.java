package io.automatix.process;

import java.nio.charset.StandardCharsets;

import io.automatix.scheduler.JobStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobStatusMessageTest {

    @Test
    void aWrappersReportsAreDecoded() {
        JobStatus started =
                decode("{\"job\":\"r1.LF.1\",\"event\":\"started\",\"at\":1763800000.25,\"scheduler_job_id\":\"\"}");
        assertThat(started.event()).isEqualTo(JobStatus.Event.STARTED);
        assertThat(started.at().toEpochMilli()).isEqualTo(1763800000250L);
        assertThat(started.schedulerJobId()).isNull();
        JobStatus finished =
                decode("{\"job\":\"r1.LF.1\",\"event\":\"finished\",\"exit_code\":3,\"scheduler_job_id\":\"42\"}");
        assertThat(finished.exitCode()).isEqualTo(3);
        assertThat(finished.schedulerJobId()).isEqualTo("42");
    }

    @Test
    void anythingElseIsRefusedWithTheReason() {
        assertThatThrownBy(() -> decode("{\"job\":\"r1.LF.1\",\"event\":\"finished\"}"))
                .hasMessageStartingWith("exit_code");
        assertThatThrownBy(() -> decode("{\"job\":\"r1.LF.1\",\"event\":\"finished\",\"exit_code\":\"0\"}"))
                .hasMessageStartingWith("exit_code");
        assertThatThrownBy(() -> decode("{\"job\":\"r1;rm -rf /\",\"event\":\"started\"}"))
                .hasMessageStartingWith("job");
        assertThatThrownBy(() -> decode("{\"job\":\"r1\",\"event\":\"exploded\"}"))
                .hasMessageStartingWith("event");
        assertThatThrownBy(() -> decode("{\"job\":\"r1\",\"event\":\"started\",\"extra\":1}"))
                .hasMessage("unknown field 'extra'");
        assertThatThrownBy(() -> decode("{\"job\":\"r1\"} trailing")).hasMessageStartingWith("not JSON");
        assertThatThrownBy(() -> decode("[]")).hasMessage("not a JSON object");
        assertThatThrownBy(() -> JobStatusMessage.decode(new byte[] {(byte) 0xff, '{'}))
                .hasMessageStartingWith("not JSON");
        assertThatThrownBy(() -> decode("{\"job\":\"" + "x".repeat(5000) + "\"}"))
                .hasMessageContaining("at most 4096");
    }

    private static JobStatus decode(String json) {
        return JobStatusMessage.decode(json.getBytes(StandardCharsets.UTF_8));
    }
}
