package io.automatix.process;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import io.automatix.scheduler.JobStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobStatusMessageTest {

    private static final StatusKeys KEYS = new StatusKeys(new byte[32]);
    private static final Instant NOW = Instant.ofEpochSecond(1763800000);

    @Test
    void aReportSignedWithItsJobsKeyIsApplied() {
        String body = "{\"job\":\"r1.LF.1\",\"event\":\"finished\",\"exit_code\":0,\"at\":1763799990.5,"
                + "\"scheduler_job_id\":\"42\",\"key\":\"r1.LF.1\"}";
        JobStatus status = verified(body, KEYS.mac("r1.LF.1", bytes(body)));
        assertThat(status.exitCode()).isZero();
        assertThat(status.job()).isEqualTo("r1.LF.1");
        // a task of an array signs with its array's key
        String task = "{\"job\":\"wf-1.s.1_3\",\"event\":\"started\",\"at\":1763799990,\"key\":\"wf-1.s.1\"}";
        assertThat(verified(task, KEYS.mac("wf-1.s.1", bytes(task))).job()).isEqualTo("wf-1.s.1_3");
    }

    @Test
    void aReportNotSignedWithItsJobsKeyIsRefusedWithTheReason() {
        String unsigned = "{\"job\":\"r1.LF.1\",\"event\":\"finished\",\"exit_code\":0,\"at\":1763799990}";
        assertThatThrownBy(() -> verified(unsigned, null)).hasMessageStartingWith("key: must name the job");
        String body = "{\"job\":\"r1.LF.1\",\"event\":\"finished\",\"exit_code\":0,\"at\":1763799990,"
                + "\"key\":\"r1.LF.1\"}";
        assertThatThrownBy(() -> verified(body, null)).hasMessageStartingWith("no automatix-mac header");
        assertThatThrownBy(() -> verified(body, "00".repeat(32)))
                .hasMessageStartingWith("automatix-mac does not match");
        assertThatThrownBy(() -> verified(body, "not hex")).hasMessageStartingWith("automatix-mac does not match");
        // the MAC covers the whole body: another exit code is another message
        String changed = body.replace("\"exit_code\":0", "\"exit_code\":1");
        assertThatThrownBy(() -> verified(changed, KEYS.mac("r1.LF.1", bytes(body))))
                .hasMessageStartingWith("automatix-mac does not match");
        // another router key, another job key
        byte[] otherKey = new byte[32];
        java.util.Arrays.fill(otherKey, (byte) 1);
        assertThatThrownBy(() -> JobStatusMessage.verified(
                        bytes(body), new StatusKeys(otherKey).mac("r1.LF.1", bytes(body)), KEYS, NOW))
                .hasMessageStartingWith("automatix-mac does not match");
        // one job's key moves no other job
        String other = "{\"job\":\"r2.LF.1\",\"event\":\"finished\",\"exit_code\":0,\"at\":1763799990,"
                + "\"key\":\"r1.LF.1\"}";
        assertThatThrownBy(() -> verified(other, KEYS.mac("r1.LF.1", bytes(other))))
                .hasMessage("the key of r1.LF.1 may not report for r2.LF.1");
        String timeless = "{\"job\":\"r1.LF.1\",\"event\":\"started\",\"key\":\"r1.LF.1\"}";
        assertThatThrownBy(() -> verified(timeless, KEYS.mac("r1.LF.1", bytes(timeless))))
                .hasMessageStartingWith("at: a signed report says when");
        String ahead = "{\"job\":\"r1.LF.1\",\"event\":\"started\",\"at\":1763800400,\"key\":\"r1.LF.1\"}";
        assertThatThrownBy(() -> verified(ahead, KEYS.mac("r1.LF.1", bytes(ahead))))
                .hasMessageContaining("ahead of this router's clock");
    }

    @Test
    void aScriptsKeyReportsForItsTasksAndLaterAttemptsOnly() {
        assertThat(StatusKeys.mayReport("r.LF.1", "r.LF.1")).isTrue();
        assertThat(StatusKeys.mayReport("r.LF.1", "r.LF.2")).isTrue(); // a recovery ran a copy of it
        assertThat(StatusKeys.mayReport("wf-1.s.1", "wf-1.s.1_7")).isTrue();
        assertThat(StatusKeys.mayReport("wf-1.s.1", "wf-1.s.1_7-a2")).isTrue();
        assertThat(StatusKeys.mayReport("wf-1.s.1-a2", "wf-1.s.1-a3")).isTrue();
        assertThat(StatusKeys.mayReport("r.LF.1", "r.HF.1")).isFalse();
        assertThat(StatusKeys.mayReport("r.LF.1", "r.LF.1x")).isFalse();
        assertThat(StatusKeys.mayReport("r.LF.1", "r2.LF.1")).isFalse();
        assertThat(StatusKeys.mayReport("wf-1.s.1", "wf-1.s.10")).isTrue(); // its own step's attempt 10
        assertThat(StatusKeys.mayReport("wf-1.s.1", "wf-1.t.1")).isFalse();
    }

    @Test
    void theKeyFileHoldsTheKeyPaddedForTheWrappersOpenssl() {
        String[] lines = KEYS.keyFile("r.LF.1").split("\n");
        byte[] inner = java.util.Base64.getDecoder().decode(lines[0]);
        byte[] outer = java.util.Base64.getDecoder().decode(lines[1]);
        byte[] key = KEYS.jobKey("r.LF.1");
        assertThat(inner).hasSize(64);
        for (int i = 0; i < 64; i++) {
            byte k = i < key.length ? key[i] : 0;
            assertThat(inner[i]).isEqualTo((byte) (k ^ 0x36));
            assertThat(outer[i]).isEqualTo((byte) (k ^ 0x5c));
        }
        assertThat(KEYS.toString()).doesNotContain(java.util.HexFormat.of().formatHex(key));
    }

    private static JobStatus verified(String body, String mac) {
        return JobStatusMessage.verified(bytes(body), mac, KEYS, NOW);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

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
