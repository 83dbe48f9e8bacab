package io.automatix.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The faults of one suite run, all drawn from one seed: which, in what order, after what pause,
 * for how long and on which router. The same seed gives the same schedule, so a failing run can be
 * replayed ({@code -Dautomatix.faults.seed=N}); only the moments the services reach are the machine's.
 */
record FaultSchedule(long seed, List<Fault> faults) {

    enum Kind {
        KILL_ROUTER("SIGKILL router %s, restart after %s"),
        RESTART_BROKER("stop RabbitMQ for %2$s"),
        RESTART_DATABASE("stop PostgreSQL for %2$s"),
        STOP_SSHD("stop sshd (and its sessions) for %2$s"),
        KILL_SSH_MASTER("SIGKILL the ssh master connection of router %s"),
        STOP_SLURMDBD("stop slurmdbd (SLURM's accounting) for %2$s"),
        FAIL_SLURM_JOB("SIGKILL a running SLURM job");

        private final String format;

        Kind(String format) {
            this.format = format;
        }
    }

    /** A fault after a pause, lasting a while, on router {@code router} where that matters. */
    record Fault(Kind kind, Duration pause, Duration lasting, int router) {
        String describe(List<String> routers) {
            return String.format(kind.format, routers.get(router), seconds(lasting));
        }
    }

    /**
     * Every kind equally often, shuffled in rounds, so that any count of at least the number of kinds
     * has each kind. Ssh master connections are killed only where the routers have one
     * ({@code masters}: transport openssh).
     */
    static FaultSchedule of(long seed, int count, int routers, boolean masters) {
        Random random = new Random(seed);
        List<Fault> faults = new ArrayList<>();
        List<Kind> round = new ArrayList<>();
        while (faults.size() < count) {
            if (round.isEmpty()) {
                round.addAll(Arrays.asList(Kind.values()));
                if (!masters) {
                    round.remove(Kind.KILL_SSH_MASTER);
                }
                Collections.shuffle(round, random);
            }
            Kind kind = round.remove(0);
            Duration lasting = switch (kind) {
                case KILL_ROUTER -> millis(random, 500, 6_000);
                case RESTART_BROKER, RESTART_DATABASE -> millis(random, 500, 8_000);
                case STOP_SSHD -> millis(random, 3_000, 20_000);
                case STOP_SLURMDBD -> millis(random, 3_000, 15_000);
                case FAIL_SLURM_JOB, KILL_SSH_MASTER -> Duration.ZERO;
            };
            faults.add(new Fault(kind, millis(random, 2_000, 12_000), lasting, random.nextInt(routers)));
        }
        return new FaultSchedule(seed, List.copyOf(faults));
    }

    String describe(List<String> routers) {
        StringBuilder text = new StringBuilder("fault schedule of seed " + seed + ":");
        for (Fault f : faults) {
            text.append("\n  after ").append(seconds(f.pause())).append(": ").append(f.describe(routers));
        }
        return text.toString();
    }

    private static Duration millis(Random random, int from, int to) {
        return Duration.ofMillis(from + random.nextInt(to - from));
    }

    private static String seconds(Duration d) {
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }
}
