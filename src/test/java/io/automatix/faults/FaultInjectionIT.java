package io.automatix.faults;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fault-injection suite at CI's size: 50 runs and 10 faults, one router, then two. The size and
 * seed are settings, so a failing schedule can be replayed alone:
 * {@code mvn verify -Dit.test=FaultInjectionIT -Dautomatix.faults.seed=N}; bench/faults runs 1,000.
 */
class FaultInjectionIT {

    private static final long SEED = Long.getLong("automatix.faults.seed", System.nanoTime() % 100_000);
    private static final int RUNS = Integer.getInteger("automatix.faults.runs", 50);
    private static final int FAULTS = Integer.getInteger("automatix.faults.count", 10);

    @Test
    void oneRouterLosesNothingAndRunsNothingTwice() throws Exception {
        try (FaultSuite suite = new FaultSuite(new FaultSuite.Size(1, RUNS, FAULTS, SEED, Duration.ofMinutes(15)))) {
            FaultSuite.Report report = suite.run();
            assertThat(report.faultsInjected()).as("faults injected").isGreaterThanOrEqualTo(FAULTS);
            assertThat(report.figures().runs()).isEqualTo(RUNS);
            assertThat(report.figures().retries()).as("retries").isGreaterThanOrEqualTo(report.jobsKilled());
        }
    }

    @Test
    void twoRoutersShareTheWorkAndLoseNothingWhenOneIsKilled() throws Exception {
        try (FaultSuite suite = new FaultSuite(
                new FaultSuite.Size(2, RUNS, FAULTS, SEED + 1, Duration.ofMinutes(15)).over("openssh"))) {
            FaultSuite.Report report = suite.run();
            assertThat(report.faultsInjected()).as("faults injected").isGreaterThanOrEqualTo(FAULTS);
            assertThat(report.figures().runs()).isEqualTo(RUNS);
            assertThat(report.figures().retries()).as("retries").isGreaterThanOrEqualTo(report.jobsKilled());
            assertThat(report.idleRouters())
                    .as("a router idle while the other was loaded")
                    .isEmpty();
            for (String router : new String[] {"router-a", "router-b"}) {
                for (String work : new String[] {"transferred", "submitted"}) {
                    assertThat(report.workByRouter()).as("work by router").containsKey(router + " " + work);
                }
            }
        }
    }
}
