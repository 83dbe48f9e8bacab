package io.automatix.process;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The wait after each refusal of a job's attempt: doubling from the back-off, capped. */
class RefusalBackoffTest {

    private static JobSettings settings(long backoffSeconds, long maxSeconds) {
        return new JobSettings(
                true,
                "p",
                "local",
                false,
                1000,
                50,
                3,
                Duration.ofSeconds(120),
                Duration.ofSeconds(60),
                Duration.ofSeconds(backoffSeconds),
                Duration.ofSeconds(maxSeconds),
                Duration.ofSeconds(10));
    }

    @Test
    void doublesFromTheBackOffUpToTheMaximum() {
        JobSettings s = settings(30, 600);
        assertThat(s.backoffAfter(1)).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.backoffAfter(2)).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.backoffAfter(3)).isEqualTo(Duration.ofSeconds(120));
        assertThat(s.backoffAfter(5)).isEqualTo(Duration.ofSeconds(480));
        assertThat(s.backoffAfter(6)).isEqualTo(Duration.ofSeconds(600));
        assertThat(s.backoffAfter(10_000)).as("no overflow").isEqualTo(Duration.ofSeconds(600));
    }

    @Test
    void theDefaultsReachTenRefusalsInAboutTheHourOfStuckAfterSeconds() {
        JobSettings s = settings(30, 600);
        long waited = 0;
        for (int refusal = 1; refusal < 10; refusal++) {
            waited += s.backoffAfter(refusal).toSeconds();
        }
        assertThat(waited).as("seconds from the first refusal to the tenth").isEqualTo(3330);
    }

    @Test
    void aMaximumBelowTheBackOffNeverShortensTheFirstWait() {
        assertThat(settings(900, 600).backoffAfter(1)).isEqualTo(Duration.ofSeconds(900));
        assertThat(settings(900, 600).backoffAfter(4)).isEqualTo(Duration.ofSeconds(900));
        assertThat(settings(1, 600).backoffAfter(0)).as("before any refusal").isEqualTo(Duration.ofSeconds(1));
    }
}
