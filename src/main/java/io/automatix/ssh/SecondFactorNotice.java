package io.automatix.ssh;

import org.apache.sshd.client.auth.AbstractUserAuth;
import org.apache.sshd.client.auth.UserAuth;
import org.apache.sshd.client.auth.UserAuthFactory;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.util.buffer.Buffer;

/**
 * Stands in for an authentication method that needs a person (keyboard-interactive: a one-time
 * code; password): nobody is there to answer, so it declines, and notes on the login attempt that the host
 * asked, so that the failure can say to log in through OpenSSH instead.
 */
final class SecondFactorNotice implements UserAuthFactory {

    private final String method;

    SecondFactorNotice(String method) {
        this.method = method;
    }

    @Override
    public String getName() {
        return method;
    }

    @Override
    public UserAuth createUserAuth(ClientSession session) {
        return new AbstractUserAuth(method) {
            @Override
            protected boolean sendAuthDataRequest(ClientSession s, String service) {
                LoginAttempt attempt = LoginAttempt.of(s);
                if (attempt != null) {
                    attempt.askedFor = method;
                }
                return false;
            }

            @Override
            protected boolean processAuthDataRequest(ClientSession s, String service, Buffer buffer) {
                return false;
            }
        };
    }
}
