package io.automatix.process;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each cluster's own submission and poll threads, so a cluster whose sshd hangs or whose
 * {@code squeue} does not answer holds up only its own jobs: up to submit-passes submission passes
 * per cluster, and one poll per cluster at a time (a tick that finds its poll still running skips
 * it rather than queueing another).
 */
final class ClusterWorkers {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterWorkers.class);

    private final Map<String, Worker> workers = new LinkedHashMap<>();
    private final int passes;
    private final Consumer<String> submit;

    /** @param submit one submission pass of the named cluster */
    ClusterWorkers(List<String> clusters, int passes, Consumer<String> submit) {
        this.passes = Math.max(1, passes);
        this.submit = submit;
        clusters.forEach(c -> workers.put(c, new Worker(c)));
    }

    void wakeSubmitters() {
        workers.values().forEach(Worker::wake);
    }

    /** The clusters whose poll is not running now: only these may be claimed for a poll. */
    List<String> idlePollers() {
        return workers.values().stream()
                .filter(w -> !w.polling.get())
                .map(w -> w.cluster)
                .toList();
    }

    /** Runs the cluster's poll on its poll thread; completes when it has run (or was not started). */
    CompletableFuture<Void> poll(String cluster, Runnable poll) {
        Worker worker = workers.get(cluster);
        if (worker == null || !worker.polling.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(null);
        }
        try {
            return CompletableFuture.runAsync(
                    () -> {
                        try {
                            poll.run();
                        } finally {
                            worker.polling.set(false);
                        }
                    },
                    worker.poller);
        } catch (RejectedExecutionException stopped) {
            worker.polling.set(false);
            return CompletableFuture.completedFuture(null);
        }
    }

    void shutdown() {
        workers.values().forEach(w -> {
            w.submitters.shutdownNow();
            w.poller.shutdownNow();
        });
    }

    private final class Worker {
        final String cluster;
        final ExecutorService submitters;
        final ExecutorService poller;
        final AtomicInteger running = new AtomicInteger();
        final AtomicBoolean wanted = new AtomicBoolean();
        final AtomicBoolean polling = new AtomicBoolean();

        Worker(String cluster) {
            this.cluster = cluster;
            this.submitters = Executors.newFixedThreadPool(passes, daemon("automatix-submit-" + cluster));
            this.poller = Executors.newSingleThreadExecutor(daemon("automatix-poll-" + cluster));
        }

        /**
         * Up to submit-passes run side by side (each claims different jobs), so jobs released while
         * one round trip is under way do not wait for it; a pass runs again as long as new requests
         * came in while it ran.
         */
        void wake() {
            wanted.set(true);
            int now;
            while ((now = running.get()) < passes && !submitters.isShutdown()) {
                if (running.compareAndSet(now, now + 1)) {
                    try {
                        submitters.execute(this::submitWhileWanted);
                    } catch (RejectedExecutionException stopped) {
                        running.decrementAndGet();
                    }
                    return;
                }
            }
        }

        private void submitWhileWanted() {
            try {
                while (wanted.getAndSet(false)) {
                    submit.accept(cluster);
                }
            } catch (RuntimeException e) {
                LOG.warn("Submission pass for {} failed: {}", cluster, e.getMessage());
            } finally {
                running.decrementAndGet();
            }
            if (wanted.get()) {
                wake(); // a request that came as this pass ended
            }
        }
    }

    static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
