package io.automatix.oidc;

/**
 * An OIDC token or sign-in session that does not admit its request (answered 401): the message
 * says what is wrong and what to do, and never contains the token.
 */
public final class TokenRefused extends RuntimeException {

    public TokenRefused(String reason) {
        super(reason);
    }
}
