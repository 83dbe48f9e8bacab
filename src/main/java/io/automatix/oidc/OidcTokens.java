package io.automatix.oidc;

import java.net.MalformedURLException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Set;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

/**
 * Validates the issuer's JWTs: the signature against its JWKS (RS256 or ES256 only, so neither an
 * unsigned token nor an HMAC "signed" with the public key passes), then issuer, audience and
 * expiry. The JWKS is cached and fetched again when a token names a key it lacks (key rotation),
 * at most twice in {@link #REFETCH_MS}, so a flood of made-up key ids cannot hammer the issuer.
 */
public final class OidcTokens {

    static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
    static final long REFETCH_MS = 10_000;

    private final OidcSettings settings;
    private final OidcDiscovery discovery;
    private final Clock clock;
    private volatile DefaultJWTProcessor<SecurityContext> processor;

    public OidcTokens(OidcSettings settings, OidcDiscovery discovery, Clock clock) {
        this.settings = settings;
        this.discovery = discovery;
        this.clock = clock;
    }

    /** Whether a bearer token has the shape of a JWT (three base64url parts), not of a router token. */
    public static boolean looksLikeJwt(String token) {
        return token.matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
    }

    /** The claims of a valid token for {@code audience}, or the reason it is refused. */
    public JWTClaimsSet verify(String token, String audience) {
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException e) {
            throw new TokenRefused("the bearer token is not a readable JWT: send the access token as issued");
        }
        if (!(jwt instanceof SignedJWT signed)) {
            throw new TokenRefused(
                    "the token is not signed (alg " + jwt.getHeader().getAlgorithm()
                            + "): only tokens signed by the issuer with RS256 or ES256 are accepted");
        }
        JWSAlgorithm alg = signed.getHeader().getAlgorithm();
        if (!ALGORITHMS.contains(alg)) {
            throw new TokenRefused("the token is signed with " + alg
                    + ": only RS256 and ES256 are accepted; configure the issuer's client to sign with one of them");
        }
        try {
            return processor(audience).process(signed, null);
        } catch (BadJWTException e) {
            throw new TokenRefused(e.getMessage());
        } catch (RateLimitReachedException e) {
            throw new TokenRefused(
                    "the token is signed with key id '" + signed.getHeader().getKeyID()
                            + "', which the issuer does not publish (its JWKS was read moments ago): sign in again");
        } catch (KeySourceException e) {
            throw new TokenRefused(
                    "the token is signed with key " + signed.getHeader().getKeyID()
                            + ", which the issuer's JWKS could not supply just now (" + e.getMessage()
                            + "): try again shortly; if it persists, check automatix.oidc.issuer / jwks-uri");
        } catch (BadJOSEException e) {
            if (e.getMessage() != null && e.getMessage().contains("no matching key")) {
                throw new TokenRefused(
                        "the token is signed with key id '" + signed.getHeader().getKeyID()
                                + "', which the issuer does not publish: sign in again for a fresh token");
            }
            throw new TokenRefused("the token's signature is not valid (altered, or not made by " + settings.issuer()
                    + "): get a new token from the issuer");
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new TokenRefused("the token's signature could not be checked: get a new token from the issuer");
        }
    }

    private DefaultJWTProcessor<SecurityContext> processor(String audience) {
        // one processor per audience would be needed for two audiences; the router has one and the client's
        if (!audience.equals(settings.audience())) {
            return build(audience);
        }
        DefaultJWTProcessor<SecurityContext> known = processor;
        if (known == null) {
            synchronized (this) {
                if (processor == null) {
                    processor = build(audience);
                }
                known = processor;
            }
        }
        return known;
    }

    private volatile JWKSource<SecurityContext> keys;

    private JWKSource<SecurityContext> keys() {
        if (keys == null) {
            synchronized (this) {
                if (keys == null) {
                    try {
                        keys = JWKSourceBuilder.create(
                                        discovery.endpoints().jwks().toURL(),
                                        new DefaultResourceRetriever(5_000, 5_000, 512 * 1024))
                                .cache(5 * 60_000L, 10_000L)
                                .refreshAheadCache(false)
                                .rateLimited(REFETCH_MS)
                                .retrying(false)
                                .build();
                    } catch (MalformedURLException e) {
                        throw new IllegalStateException("the issuer's jwks_uri is not a URL: " + e.getMessage());
                    }
                }
            }
        }
        return keys;
    }

    private DefaultJWTProcessor<SecurityContext> build(String audience) {
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        // Keycloak's tokens say JWT; RFC 9068 access tokens say at+jwt
        p.setJWSTypeVerifier(
                new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys()));
        p.setJWTClaimsSetVerifier((claims, context) -> check(claims, audience));
        return p;
    }

    private void check(JWTClaimsSet claims, String audience) throws BadJWTException {
        if (!settings.issuer().equals(claims.getIssuer())) {
            throw new BadJWTException("the token was issued by '" + claims.getIssuer() + "', not by "
                    + settings.issuer() + ": get a token from that issuer (automatix.oidc.issuer)");
        }
        if (claims.getAudience() == null || !claims.getAudience().contains(audience)) {
            throw new BadJWTException("the token is for audience " + claims.getAudience() + ", not '" + audience
                    + "': request a token for it (in Keycloak: an audience mapper on the client)");
        }
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw new BadJWTException("the token has no expiry (exp): the issuer must set one");
        }
        if (!now.minus(settings.clockSkew()).isBefore(exp.toInstant())) {
            throw new BadJWTException("the token expired at " + exp.toInstant() + ": sign in again for a fresh one");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.plus(settings.clockSkew()).isBefore(nbf.toInstant())) {
            throw new BadJWTException("the token is not valid before " + nbf.toInstant()
                    + ": check the clocks of the router and the issuer");
        }
    }
}
