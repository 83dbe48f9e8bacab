package io.automatix.ssh;

import java.nio.file.Path;

import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;

/**
 * One connection attempt to one hop, on the connection's context: which hop and agent it is for, and
 * what the host-key check and the authentication methods noticed. Kept there rather than on the
 * session, whose attributes are gone once a failed session has closed.
 */
final class LoginAttempt {

    static final AttributeRepository.AttributeKey<LoginAttempt> KEY = new AttributeRepository.AttributeKey<>();

    final SshRoute.Hop hop;
    final Path agent;
    volatile HostKeyCheck.Problem hostKeyProblem;
    /** A method the host asked for that needs a person (keyboard-interactive, password). */
    volatile String askedFor;

    LoginAttempt(SshRoute.Hop hop, Path agent) {
        this.hop = hop;
        this.agent = agent;
    }

    AttributeRepository context() {
        return AttributeRepository.ofKeyValuePair(KEY, this);
    }

    static LoginAttempt of(ClientSession session) {
        return session == null || session.getConnectionContext() == null
                ? null
                : session.getConnectionContext().getAttribute(KEY);
    }
}
