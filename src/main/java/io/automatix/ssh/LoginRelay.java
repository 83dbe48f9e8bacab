package io.automatix.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A person's login relayed by the router ({@code automatix login --relay}): the router opens the
 * master with {@code SSH_ASKPASS} = a script that hands each prompt (password, one-time code) to
 * the router and waits for the answer the person posts. An answer is one file (mode 600) that the
 * script deletes as it reads it; it is never logged.
 */
public final class LoginRelay {

    private static final Logger LOG = LoggerFactory.getLogger(LoginRelay.class);
    /** How long a prompt waits for its answer (also in the script). */
    private static final Duration ANSWER_LIMIT = Duration.ofMinutes(5);

    private static final String SCRIPT = """
            #!/bin/sh
            # automatix: hands ssh's prompt to the router and prints the person's answer (SSH_ASKPASS)
            dir=$AUTOMATIX_LOGIN_DIR
            umask 077
            printf '%s' "$1" > "$dir/prompt.tmp" && mv -f "$dir/prompt.tmp" "$dir/prompt" || exit 1
            i=0
            while [ ! -f "$dir/answer" ]; do
              i=$((i + 1))
              [ "$i" -gt 1500 ] && exit 1
              sleep 0.2
            done
            mv -f "$dir/answer" "$dir/answer.$$" && cat "$dir/answer.$$"
            rm -f "$dir/answer.$$"
            """;

    private final OpenSshTransport transport;
    private final Path dir;
    private volatile String prompt;
    private volatile boolean ended;
    private volatile String error;

    private LoginRelay(OpenSshTransport transport, Path dir) {
        this.transport = transport;
        this.dir = dir;
    }

    /** Starts ssh opening the master; its prompts come through {@link #next}. */
    public static LoginRelay start(OpenSshTransport transport, ConnectBudget budget) throws IOException {
        Path script = transport.directory().resolve("login-askpass");
        OpenSshTransport.writePrivate(script, SCRIPT, "rwx------");
        Path dir = transport.directory().resolve("login-" + transport.target().name());
        deleteTree(dir);
        OpenSshTransport.createPrivateDirectory(dir);
        LoginRelay relay = new LoginRelay(transport, dir);
        if (budget != null) {
            budget.take(transport.target());
        }
        Map<String, String> env = new LinkedHashMap<>(transport.environment());
        env.put("SSH_ASKPASS", script.toString());
        env.put("SSH_ASKPASS_REQUIRE", "force");
        env.put("AUTOMATIX_LOGIN_DIR", dir.toString());
        List<String> argv = transport.masterCommand();
        Files.deleteIfExists(transport.socket()); // a stale socket would make ssh run without multiplexing
        Thread t = new Thread(
                () -> {
                    try {
                        String said = transport.runMaster(argv, env, ANSWER_LIMIT.multipliedBy(2));
                        if (said == null) {
                            transport.markUp();
                        } else {
                            relay.error = OpenSshErrors.failure(transport, said).getMessage();
                        }
                    } catch (IOException | RuntimeException e) {
                        relay.error = transport.target().name() + ": login failed: " + e.getMessage();
                    } finally {
                        relay.ended = true;
                        deleteTree(dir);
                    }
                },
                "login-" + transport.target().name());
        t.setDaemon(true);
        t.start();
        LOG.info(
                "Cluster {}: login relayed through the router started",
                transport.target().name());
        return relay;
    }

    /**
     * Waits up to {@code wait} for ssh's next prompt or its end.
     *
     * @return {state: prompting, prompt} / {state: up} / {state: failed, error} / {state: waiting}
     */
    public Map<String, Object> next(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            if (prompt == null) {
                Path file = dir.resolve("prompt");
                try {
                    if (Files.exists(file)) {
                        prompt = Files.readString(file, StandardCharsets.UTF_8);
                        Files.deleteIfExists(file);
                    }
                } catch (IOException e) {
                    // the script is still writing it: next round
                }
            }
            if (prompt != null || ended) {
                break;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        Map<String, Object> state = new LinkedHashMap<>();
        if (prompt != null && !ended) {
            state.put("state", "prompting");
            state.put("prompt", prompt);
        } else if (ended) {
            state.put("state", error == null ? "up" : "failed");
            if (error != null) {
                state.put("error", error);
            }
        } else {
            state.put("state", "waiting");
        }
        return state;
    }

    /** Hands the person's answer to the waiting prompt, then waits for the next prompt or the end. */
    public Map<String, Object> answer(String answer, Duration wait) throws IOException {
        if (prompt == null || ended) {
            throw new IllegalStateException("no prompt is waiting for an answer on "
                    + transport.target().name() + "; start again: automatix login "
                    + transport.target().name());
        }
        prompt = null;
        OpenSshTransport.writePrivate(dir.resolve("answer"), answer + "\n", "rw-------");
        return next(wait);
    }

    public boolean ended() {
        return ended;
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // gone already
                }
            });
        } catch (IOException e) {
            // gone already
        }
    }
}
