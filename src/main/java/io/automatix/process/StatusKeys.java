package io.automatix.process;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.automatix.db.SqlFile;
import io.automatix.db.Transactions;

/**
 * What makes a job's pushed status unforgeable: each job's script is given its own key (in a file
 * only the service account reads), derived from the routers' key in the database, and signs each
 * message it pushes with it (HMAC-SHA256 of the message body, in the {@code automatix-mac} header);
 * the routers derive the same key from the name the message says it was made for. Holding the
 * broker's publish credentials is then not enough to move a job.
 *
 * <p>The job's file holds the HMAC key already padded, {@code K xor ipad} and {@code K xor opad}
 * (base64, one a line), so that the wrapper computes the HMAC with two plain {@code openssl dgst
 * -sha256} over standard input and the key is never on a command line ({@code openssl dgst -hmac}
 * and {@code -macopt} would put it there).
 */
public final class StatusKeys {

    /** The header that carries a message's HMAC (hex). */
    public static final String MAC_HEADER = "automatix-mac";

    private static final String KEY_SQL = SqlFile.load(StatusKeys.class, "status-key.sql");
    private static final int BLOCK = 64; // SHA-256's block size
    /** A task of an array ({@code _3}) and a later attempt of a step ({@code -a2}) keep their script's key. */
    private static final Pattern ATTEMPT = Pattern.compile("-a[0-9]{1,9}$");

    private final byte[] routerKey;

    StatusKeys(byte[] routerKey) {
        if (routerKey.length < 32) {
            throw new IllegalArgumentException("the status key must be at least 32 bytes");
        }
        this.routerKey = routerKey.clone();
    }

    /** The routers' key from the database, made by the first router that asks. */
    public static StatusKeys load(Transactions transactions, String router) {
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        for (int i = 0; i < 5; i++) {
            // empty when another router made it in the same instant: it is there at the next look
            List<byte[]> key = transactions.as(
                    router, jdbc -> jdbc.query(KEY_SQL, Map.of("key", fresh), (rs, n) -> rs.getBytes("key")));
            if (!key.isEmpty()) {
                return new StatusKeys(key.get(0));
            }
        }
        throw new IllegalStateException("cannot read or make the status key in the status_key table");
    }

    /** The key of the job whose script is named {@code keyName} (a job's name, or a job array's). */
    byte[] jobKey(String keyName) {
        return hmac(routerKey, ("automatix job status\n" + keyName).getBytes(StandardCharsets.UTF_8));
    }

    /** The content of the job's key file: {@code K xor ipad} and {@code K xor opad}, base64, a line each. */
    public String keyFile(String keyName) {
        byte[] key = jobKey(keyName);
        byte[] inner = new byte[BLOCK];
        byte[] outer = new byte[BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            byte k = i < key.length ? key[i] : 0;
            inner[i] = (byte) (k ^ 0x36);
            outer[i] = (byte) (k ^ 0x5c);
        }
        Base64.Encoder b64 = Base64.getEncoder();
        return b64.encodeToString(inner) + "\n" + b64.encodeToString(outer) + "\n";
    }

    /** The HMAC a job with this key sends with this body (hex). */
    public String mac(String keyName, byte[] body) {
        return HexFormat.of().formatHex(hmac(jobKey(keyName), body));
    }

    /** Whether {@code mac} is this body's HMAC with the key of {@code keyName}, compared in constant time. */
    boolean verifies(String keyName, byte[] body, String mac) {
        byte[] given;
        try {
            given = HexFormat.of().parseHex(mac.trim().toLowerCase());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(hmac(jobKey(keyName), body), given);
    }

    /**
     * Whether the script with this key may report for this job: its own name, a task of its array
     * ({@code <key>_<i>}), or a later attempt a recovery script ran it as (a run's {@code
     * <run>.<step>.<n>}, a step's {@code <first>[_<i>]-a<n>}). Another job's name is refused, so one
     * job's key moves no other job.
     */
    static boolean mayReport(String keyName, String job) {
        if (job.equals(keyName)) {
            return true;
        }
        String stem = ATTEMPT.matcher(keyName).replaceFirst("");
        if (job.startsWith(stem) && job.substring(stem.length()).matches("(_[0-9]{1,9})?(-a[0-9]{1,9})?")) {
            return true;
        }
        int dot = keyName.lastIndexOf('.');
        return dot > 0
                && keyName.substring(dot + 1).matches("[0-9]{1,9}")
                && job.startsWith(keyName.substring(0, dot + 1))
                && job.substring(dot + 1).matches("[0-9]{1,9}");
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** Never the key. */
    @Override
    public String toString() {
        return "StatusKeys[***]";
    }
}
