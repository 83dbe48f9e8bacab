package io.automatix.oidc;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.automatix.user.Principal;

/**
 * The web pages' sign-ins, held by this router in memory: a random session id (the cookie) names
 * a principal until its ID token expires, with the CSRF value the page sends back on POSTs; and the
 * logins under way, each a one-time state with its nonce and PKCE verifier. Both are bounded, so
 * unfinished logins cannot fill the memory.
 */
public final class WebSessions {

    static final int MAX_SESSIONS = 10_000;
    static final int MAX_PENDING = 1_000;
    static final Duration LOGIN_TIME = Duration.ofMinutes(10);
    private static final SecureRandom RANDOM = new SecureRandom();

    public record Session(Principal principal, Instant expires, String csrf) {}

    public record Pending(String nonce, String verifier, Instant started) {}

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Clock clock;

    public WebSessions(Clock clock) {
        this.clock = clock;
    }

    /** 32 random bytes, base64url. */
    public static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A new login's state. */
    public String begin(Pending login) {
        purge();
        if (pending.size() >= MAX_PENDING) {
            throw new IllegalStateException("too many sign-ins under way: try again in a few minutes");
        }
        String state = random();
        pending.put(state, login);
        return state;
    }

    /** The login of this state, once: a state is used up by its callback. */
    public Optional<Pending> finish(String state) {
        Pending login = state == null ? null : pending.remove(state);
        if (login == null || login.started().plus(LOGIN_TIME).isBefore(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(login);
    }

    /** A new session's id. */
    public String open(Principal principal, Instant expires) {
        purge();
        if (sessions.size() >= MAX_SESSIONS) {
            throw new IllegalStateException("too many signed-in sessions: try again later");
        }
        String id = random();
        sessions.put(id, new Session(principal, expires, random()));
        return id;
    }

    public Optional<Session> find(String id) {
        Session session = id == null ? null : sessions.get(id);
        if (session == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(session.expires())) {
            sessions.remove(id);
            return Optional.empty();
        }
        return Optional.of(session);
    }

    public void close(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    private void purge() {
        Instant now = clock.instant();
        sessions.values().removeIf(s -> !now.isBefore(s.expires()));
        pending.values().removeIf(p -> p.started().plus(LOGIN_TIME).isBefore(now));
    }
}
