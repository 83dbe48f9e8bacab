package io.automatix.oidc;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;

import io.automatix.config.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The OIDC sign-in's two doors, as the settings configure them (both OFF without an issuer). */
public record Oidc(OidcAdmission admission, WebSignIn web) {

    private static final Logger LOG = LoggerFactory.getLogger(Oidc.class);

    public static Oidc from(Settings settings) {
        return OidcSettings.from(settings).map(Oidc::of).orElse(new Oidc(OidcAdmission.OFF, WebSignIn.OFF));
    }

    static Oidc of(OidcSettings settings) {
        Clock clock = Clock.systemUTC();
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        OidcDiscovery discovery = new OidcDiscovery(settings, http);
        OidcTokens tokens = new OidcTokens(settings, discovery, clock);
        OidcPrincipals principals = new OidcPrincipals(settings);
        WebSessions sessions = new WebSessions(clock);
        LOG.info("OIDC: {}", settings); // its toString leaves the client secret out
        return new Oidc(
                new OidcAdmission(settings, tokens, principals, sessions),
                settings.webSignIn()
                        ? new WebSignIn(settings, discovery, tokens, principals, sessions, http, clock)
                        : WebSignIn.OFF);
    }
}
