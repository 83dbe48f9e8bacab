package io.automatix.ssh;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * New connections at most per host per minute ({@code connects-per-minute}): sites block accounts
 * that open many. A connect beyond the budget is refused with when the next one is allowed; the work
 * that needed it waits, as for any unreachable host.
 */
public final class ConnectBudget {

    private static final Duration WINDOW = Duration.ofMinutes(1);

    private final Clock clock;
    private final Map<String, Deque<Instant>> recent = new ConcurrentHashMap<>();

    public ConnectBudget(Clock clock) {
        this.clock = clock;
    }

    /** Takes one connect to the target's host from its budget, or says when the next one is allowed. */
    public void take(SshTarget target) throws SshFailure {
        Deque<Instant> connects = recent.computeIfAbsent(target.host(), h -> new ArrayDeque<>());
        Instant now = clock.instant();
        synchronized (connects) {
            while (!connects.isEmpty() && !connects.peekFirst().isAfter(now.minus(WINDOW))) {
                connects.pollFirst();
            }
            if (connects.size() >= target.connectsPerMinute()) {
                long seconds =
                        Duration.between(now, connects.peekFirst().plus(WINDOW)).toSeconds() + 1;
                throw new SshFailure(
                        target,
                        connects.size() + " new connections to " + target.host() + " in the last minute",
                        "the next is allowed in " + seconds + " s; raise connects-per-minute if the site allows more");
            }
            connects.addLast(now);
        }
    }
}
