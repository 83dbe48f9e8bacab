package io.automatix.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The site-access test hosts scripts/test-hosts makes (scripts/provision runs it): a bastion, a
 * login host with a second factor and an acquisition host, each a network namespace with its own
 * OpenSSH server. From this host only the bastion is reachable; the others sit behind it on
 * 10.77.1.0/24 and are reached with ProxyJump (aliases of {@link #SSH_CONFIG}). A missing host fails
 * the test with what to run, never skips it.
 *
 * <p>The second factor is a TOTP code (pam_oath, 30 s steps, 6 digits). pam_oath refuses a code
 * whose time step is not after the last one it accepted (replay), from any process: two logins in
 * the same 30 s window cannot both use the current code. {@link #totpCode()} therefore hands out
 * the code of the step after the last one used (users.oath records it) or handed out by anyone;
 * pam_oath accepts codes up to 20 steps ahead, and only when a test has used about 15 steps ahead
 * does it wait for the clock to catch up.
 */
public final class TestHosts {

    public static final Path HOME = TestServices.TEST_HOME.resolve("hosts");
    public static final Path KEYS = HOME.resolve("keys");
    public static final Path LOGS = HOME.resolve("log");

    /** Network namespaces, also the aliases of {@link #SSH_CONFIG}. */
    public static final String BASTION = "amx-bastion";

    public static final String LOGIN = "amx-login";
    public static final String ACQ = "amx-acq";
    /** The login host's two-factor port (publickey, then a TOTP code). */
    public static final String LOGIN_2FA = "amx-login-2fa";
    /** The login host through the bastion and then the acquisition host. */
    public static final String LOGIN_VIA_ACQ = "amx-login-via-acq";

    /** The bastion's address on the line to this host (this host is 10.77.0.1). */
    public static final String BASTION_ADDRESS = "10.77.0.2";
    /** The bastion's address on the site network behind it. */
    public static final String BASTION_INNER_ADDRESS = "10.77.1.1";

    public static final String LOGIN_ADDRESS = "10.77.1.2";
    public static final String ACQ_ADDRESS = "10.77.1.3";
    public static final int SSH_PORT = 22;
    public static final int LOGIN_2FA_PORT = 2200;
    /**
     * The login host's sshd MaxSessions on port 22: a third session on one connection is refused.
     * Through a ControlMaster, ssh(1) then opens a connection of its own and succeeds (SiteHostsIT).
     */
    public static final int LOGIN_MAX_SESSIONS = 2;

    public static final String USER = TestServices.SSH_USER;

    /** Aliases with the provisioned key (TestServices.SSH_KEY) as default identity. */
    public static final Path SSH_CONFIG = HOME.resolve("ssh_config");
    /**
     * The same aliases without a default identity for amx-login*: ssh adds a configuration's
     * IdentityFile to the ones given with -i, so tests of another identity (a certificate, an agent,
     * the encrypted key) use this file. The jump hosts keep the provisioned key.
     */
    public static final Path SSH_CONFIG_BARE = HOME.resolve("ssh_config.bare");

    public static final Path KNOWN_HOSTS = HOME.resolve("known_hosts");
    /** known_hosts with another key for 10.77.1.2 (ports 22 and 2200): "host key changed". */
    public static final Path KNOWN_HOSTS_CHANGED = HOME.resolve("known_hosts.changed");

    public static final Path KNOWN_HOSTS_EMPTY = HOME.resolve("known_hosts.empty");
    public static final Path AUTHORIZED_KEYS = HOME.resolve("authorized_keys");
    /** The provisioned key, in authorized_keys. */
    public static final Path KEY = TestServices.SSH_KEY;
    /** The user CA sshd trusts (TrustedUserCAKeys on every test sshd). */
    public static final Path CA = KEYS.resolve("ca");

    public static final Path CA_PUB = KEYS.resolve("ca.pub");
    /** In authorized_keys, encrypted with the passphrase in {@link #ENC_KEY_PASSPHRASE}. */
    public static final Path ENC_KEY = KEYS.resolve("enc_ed25519");

    public static final Path ENC_KEY_PASSPHRASE = KEYS.resolve("enc_ed25519.passphrase");
    /** In authorized_keys, loaded in the agent on {@link #AGENT_SOCKET}. */
    public static final Path AGENT_KEY = KEYS.resolve("agent_ed25519");

    public static final Path AGENT_SOCKET = HOME.resolve("agent.sock");
    /** An ssh-agent holding no key. */
    public static final Path EMPTY_AGENT_SOCKET = HOME.resolve("agent-empty.sock");
    /** Not in authorized_keys: logs in by its certificate (-cert.pub beside it, 520 weeks) only. */
    public static final Path CERT_KEY = KEYS.resolve("cert_ed25519");
    /** A certificate valid for less than 2 days (and at least 1): "expires soon". */
    public static final Path SOON_CERT_KEY = KEYS.resolve("soon_ed25519");
    /** A certificate valid 2020-01-01 to 2020-01-02 only. */
    public static final Path EXPIRED_CERT_KEY = KEYS.resolve("expired_ed25519");

    public static final Path TOTP_SECRET = HOME.resolve("totp.secret");
    /** pam_oath's state: the secret, the last code accepted and when. Root only. */
    public static final Path USERS_OATH = HOME.resolve("users.oath");
    /** An askpass program answering every prompt with the environment variable AMX_ASKPASS_ANSWER. */
    public static final Path ASKPASS = HOME.resolve("askpass");

    private static final long STEP_SECONDS = 30;
    private static final int LOOK_AROUND_STEPS = 25;
    private static final int MAX_STEPS_AHEAD = 15;
    private static final Path TOTP_LAST_STEP = HOME.resolve("totp.last-step");
    private static final Path TOTP_LOCK = HOME.resolve("run/totp.lock");
    private static final Pattern NUMBER = Pattern.compile("\\d+");

    private TestHosts() {}

    /** The certificate file of a certificate key ({@code <key>-cert.pub}). */
    public static Path certificate(Path key) {
        return key.resolveSibling(key.getFileName() + "-cert.pub");
    }

    /** Fails with what to run when the test hosts are not up. */
    public static void requireUp() {
        for (Path file : List.of(SSH_CONFIG, SSH_CONFIG_BARE, KNOWN_HOSTS, KEY, CERT_KEY, TOTP_SECRET)) {
            if (!Files.isReadable(file)) {
                throw new AssertionError("the test hosts are not set up (" + file
                        + " is missing or unreadable; tests run as root); run scripts/provision (scripts/test does)");
            }
        }
        for (String ns : List.of(BASTION, LOGIN, ACQ)) {
            if (!Files.exists(Path.of("/run/netns", ns))) {
                throw new AssertionError(
                        "network namespace " + ns + " is missing; run scripts/provision (scripts/test does)");
            }
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(BASTION_ADDRESS, SSH_PORT), 2000);
        } catch (IOException e) {
            throw new AssertionError(
                    "the bastion's sshd is not reachable at " + BASTION_ADDRESS + ":" + SSH_PORT + " (" + e.getMessage()
                            + "); run scripts/provision (scripts/test does)",
                    e);
        }
        if (!Files.exists(AGENT_SOCKET) || !Files.exists(EMPTY_AGENT_SOCKET)) {
            throw new AssertionError("the test ssh-agents are not running (" + AGENT_SOCKET
                    + "); run scripts/provision (scripts/test does)");
        }
    }

    /**
     * A TOTP code the login host accepts now and that nobody used yet: the step after the last one
     * pam_oath accepted or anyone handed out (totp.last-step, shared with other test JVMs and
     * scripts/test-hosts), at the earliest the current one. Use it once.
     */
    public static synchronized String totpCode() {
        try (FileChannel channel = FileChannel.open(TOTP_LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.lock()) {
            long now = Instant.now().getEpochSecond() / STEP_SECONDS;
            long step = Math.max(now, Math.max(lastUsedStep(), lastHandedOutStep()) + 1);
            while (step > now + MAX_STEPS_AHEAD) {
                sleep(5_000);
                now = Instant.now().getEpochSecond() / STEP_SECONDS;
            }
            Files.writeString(TOTP_LAST_STEP, step + "\n");
            return codes(step, 0).get(0);
        } catch (IOException e) {
            throw new AssertionError(
                    "cannot hand out a TOTP code (" + e.getMessage()
                            + "; tests run as root); run scripts/provision (scripts/test does)",
                    e);
        }
    }

    /** The last code pam_oath accepted (refused if offered again), or null when none was used. */
    public static String lastUsedTotpCode() {
        String[] fields = usersOath();
        return fields.length > 5 ? fields[5] : null;
    }

    /** The log of a test sshd, e.g. {@code sshdLog("login", LOGIN_2FA_PORT)}; host is bastion, login or acq. */
    public static Path sshdLog(String host, int port) {
        return LOGS.resolve(host + "-" + port + ".log");
    }

    /** Where the log ends now: lines after it are counted by {@link #countSince}. */
    public static long logMark(String host, int port) {
        try {
            Path log = sshdLog(host, port);
            return Files.exists(log) ? Files.size(log) : 0;
        } catch (IOException e) {
            throw new AssertionError("cannot read " + sshdLog(host, port) + ": " + e.getMessage(), e);
        }
    }

    /** The log's lines written after mark. */
    public static List<String> logSince(String host, int port, long mark) {
        Path log = sshdLog(host, port);
        try {
            byte[] all = Files.readAllBytes(log);
            int from = (int) Math.min(mark, all.length);
            String text = new String(all, from, all.length - from, StandardCharsets.UTF_8);
            return text.isEmpty() ? List.of() : List.of(text.split("\n"));
        } catch (IOException e) {
            throw new AssertionError("cannot read " + log + ": " + e.getMessage() + "; run scripts/provision", e);
        }
    }

    /** Lines containing text written after mark. */
    public static int countSince(String host, int port, long mark, String text) {
        return (int) logSince(host, port, mark).stream()
                .filter(line -> line.contains(text))
                .count();
    }

    /** Logins that completed with a TOTP code after mark (sshd logs "Accepted keyboard-interactive/pam"). */
    public static int keyboardInteractiveLogins(String host, int port, long mark) {
        return countSince(host, port, mark, "Accepted keyboard-interactive");
    }

    /** Logins by key or certificate after mark (on port 2200 the key is only the first factor: "Partial"). */
    public static int publickeyLogins(String host, int port, long mark) {
        return countSince(host, port, mark, "Accepted publickey");
    }

    /**
     * The system ssh client with {@link #SSH_CONFIG} and no agent from the environment, then args
     * (options, an alias, a command).
     */
    public static ProcessBuilder ssh(String... args) {
        List<String> argv = new ArrayList<>(List.of("ssh", "-F", SSH_CONFIG.toString(), "-o", "ConnectTimeout=10"));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().remove("SSH_AUTH_SOCK");
        return pb;
    }

    /**
     * The same answering keyboard-interactive prompts with answer through {@link #ASKPASS}, as a
     * person typing it (no terminal needed).
     */
    public static ProcessBuilder sshAnswering(String answer, String... args) {
        List<String> argv = new ArrayList<>(List.of("-o", "BatchMode=no", "-o", "KbdInteractiveAuthentication=yes"));
        argv.addAll(List.of(args));
        ProcessBuilder pb = ssh(argv.toArray(String[]::new));
        pb.environment().put("SSH_ASKPASS", ASKPASS.toString());
        pb.environment().put("SSH_ASKPASS_REQUIRE", "force");
        pb.environment().put("AMX_ASKPASS_ANSWER", answer);
        pb.environment().remove("DISPLAY");
        return pb;
    }

    /** The last step pam_oath accepted: the one of its recorded code near its recorded time. */
    private static long lastUsedStep() {
        String[] fields = usersOath();
        if (fields.length < 7) {
            return Long.MIN_VALUE / 2;
        }
        long usedAt;
        try {
            // pam_oath writes local time with a trailing L
            usedAt = LocalDateTime.parse(fields[6].replaceAll("L$", ""))
                    .atZone(ZoneId.systemDefault())
                    .toEpochSecond();
        } catch (DateTimeParseException e) {
            throw new AssertionError("cannot read pam_oath's time in " + USERS_OATH + ": " + fields[6], e);
        }
        long from = usedAt / STEP_SECONDS - LOOK_AROUND_STEPS;
        List<String> codes = codes(from, 2 * LOOK_AROUND_STEPS);
        for (int i = codes.size() - 1; i >= 0; i--) {
            if (codes.get(i).equals(fields[5])) {
                return from + i;
            }
        }
        return Long.MIN_VALUE / 2;
    }

    private static long lastHandedOutStep() throws IOException {
        String text =
                Files.exists(TOTP_LAST_STEP) ? Files.readString(TOTP_LAST_STEP).trim() : "";
        return NUMBER.matcher(text).matches() ? Long.parseLong(text) : Long.MIN_VALUE / 2;
    }

    private static String[] usersOath() {
        try {
            String line = Files.readString(USERS_OATH).trim();
            return line.isEmpty() ? new String[0] : line.split("\\s+");
        } catch (IOException e) {
            throw new AssertionError(
                    "cannot read " + USERS_OATH + " (" + e.getMessage()
                            + "; tests run as root); run scripts/provision (scripts/test does)",
                    e);
        }
    }

    /** The codes of step and the following more steps, from oathtool. */
    private static List<String> codes(long step, int more) {
        String secret;
        try {
            secret = Files.readString(TOTP_SECRET).trim();
        } catch (IOException e) {
            throw new AssertionError("cannot read " + TOTP_SECRET + "; run scripts/provision (scripts/test does)", e);
        }
        String out = TestServices.run(
                "oathtool", "--totp", "-d", "6", "-w", String.valueOf(more), "-N", "@" + step * STEP_SECONDS, secret);
        return List.of(out.trim().split("\n"));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
