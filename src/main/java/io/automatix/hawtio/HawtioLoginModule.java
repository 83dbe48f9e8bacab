package io.automatix.hawtio;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;
import javax.security.auth.spi.LoginModule;

import com.sun.security.auth.UserPrincipal;

/**
 * The console's JAAS realm: one user whose name and password {@link HawtioConsole} gives at
 * startup (the password is kept only as a salted SHA-256). Hawtio's login calls it with a
 * {@link NameCallback} and a {@link PasswordCallback}; a match gets the role {@link HawtioConsole#ROLE}.
 */
public final class HawtioLoginModule implements LoginModule {

    private static volatile String expectedUser;
    private static volatile byte[] salt;
    private static volatile byte[] expectedHash;

    private Subject subject;
    private CallbackHandler callbacks;
    private String user;
    private Principal[] granted;

    /** The one account; called once by {@link HawtioConsole} before Jetty starts. */
    static void configure(String user, String password) {
        byte[] s = new byte[16];
        new SecureRandom().nextBytes(s);
        salt = s;
        expectedHash = hash(s, password);
        expectedUser = user;
    }

    @Override
    public void initialize(
            Subject subject, CallbackHandler callbackHandler, Map<String, ?> sharedState, Map<String, ?> options) {
        this.subject = subject;
        this.callbacks = callbackHandler;
    }

    @Override
    public boolean login() throws LoginException {
        if (expectedUser == null || callbacks == null) {
            throw new LoginException("the Automatix console has no account configured");
        }
        NameCallback name = new NameCallback("Username: ");
        PasswordCallback password = new PasswordCallback("Password: ", false);
        try {
            callbacks.handle(new Callback[] {name, password});
        } catch (Exception e) {
            throw new LoginException("cannot read the credentials: " + e.getMessage());
        }
        char[] given = password.getPassword();
        String givenPassword = given == null ? "" : new String(given);
        password.clearPassword();
        // both compared every time, the hashes in constant time
        boolean passwordOk = MessageDigest.isEqual(hash(salt, givenPassword), expectedHash);
        boolean userOk = expectedUser.equals(name.getName());
        if (!(userOk && passwordOk)) {
            throw new FailedLoginException("invalid user name or password");
        }
        user = name.getName();
        return true;
    }

    @Override
    public boolean commit() {
        if (user == null) {
            return false;
        }
        granted = new Principal[] {new UserPrincipal(user), new HawtioRole(HawtioConsole.ROLE)};
        subject.getPrincipals().addAll(Arrays.asList(granted));
        return true;
    }

    @Override
    public boolean abort() {
        return logout();
    }

    @Override
    public boolean logout() {
        if (granted != null) {
            subject.getPrincipals().removeAll(Arrays.asList(granted));
        }
        granted = null;
        user = null;
        return true;
    }

    private static byte[] hash(byte[] salt, String password) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt);
            return sha.digest(password.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
