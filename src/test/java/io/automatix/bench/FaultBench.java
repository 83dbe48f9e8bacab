package io.automatix.bench;

import java.time.Duration;

import io.automatix.faults.FaultSuite;

/**
 * The fault-injection suite at bench size (bench/faults): N runs on two routers, first at the
 * schedule's pace of offers with no fault (the baseline), then with the faults. Prints both and the
 * throughput ratio. Arguments: runs, faults, seed.
 */
public final class FaultBench {

    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(args[0]);
        int faults = Integer.parseInt(args[1]);
        long seed = Long.parseLong(args[2]);
        Duration deadline = Duration.ofSeconds(600 + 12L * runs);
        FaultSuite.Report baseline = suite(new FaultSuite.Size(2, runs, faults, seed, deadline, false));
        FaultSuite.Report faulty = suite(new FaultSuite.Size(2, runs, faults, seed, deadline, true));
        System.out.printf("%nfaults bench, %d runs, 2 routers, seed %d%n", runs, seed);
        print("baseline (no faults)", baseline);
        print("with faults", faulty);
        System.out.printf(
                "throughput with faults / baseline: %.2fx%n", faulty.runsPerMinute() / baseline.runsPerMinute());
    }

    private static FaultSuite.Report suite(FaultSuite.Size size) throws Exception {
        try (FaultSuite suite = new FaultSuite(size)) {
            return suite.run();
        }
    }

    private static void print(String label, FaultSuite.Report r) {
        System.out.printf(
                "%-22s %5d runs (%d archived, %d failed) in %5.1f min = %6.1f runs/min; faults %d %s;"
                        + " SLURM jobs %d, retries %d, duplicates %d, runs lost %d%n",
                label,
                r.figures().runs(),
                r.figures().archived(),
                r.figures().failed(),
                r.elapsed().toMillis() / 60_000.0,
                r.runsPerMinute(),
                r.faultsInjected(),
                r.faults(),
                r.figures().slurmJobs(),
                r.figures().retries(),
                r.figures().duplicates(),
                r.figures().lost());
    }
}
