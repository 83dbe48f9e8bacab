package io.automatix.ssh;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The system ssh(1) through one ControlMaster socket per target: commands, rsync and file streams
 * are all sessions of that one connection, so the site sees one login (and, with two factors, one
 * prompt). Clients are given {@code ProxyCommand=false}: when the master is gone they fail at once
 * instead of opening a connection of their own (a command-line option wins over the
 * configuration's ProxyJump).
 *
 * <p>{@code login=batch}: the router opens the master itself (BatchMode, one connect from the
 * budget per open) and opens it again when it died. {@code login=interactive}: only a person
 * does ({@code automatix login}); while it is down every command throws {@link NeedsLogin}.
 */
public final class OpenSshTransport implements Transport {

    private static final Logger LOG = LoggerFactory.getLogger(OpenSshTransport.class);
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration GRACE = Duration.ofSeconds(10);
    /** sun_path is 108 bytes; ssh adds a 17-character suffix while it creates the socket. */
    private static final int MAX_SOCKET_PATH = 88;

    private static final int SSH_ERROR = 255;

    private final SshTarget target;
    private final Path directory;
    private final Path socket;
    private final ConnectBudget budget;
    private final Duration connectTimeout;
    private final Clock clock;
    private final Semaphore channels;
    private final LocalShell local;
    private final Object opening = new Object();

    /** When the master was found down (interactive): null while it is up. */
    private volatile Instant downSince;

    private volatile String waitingCommand;
    /** A drop not yet reported by {@link #takeDrop()}: one alert per drop. */
    private volatile boolean dropUnreported;

    OpenSshTransport(SshTarget target, Path dataDirectory, ConnectBudget budget, Duration connectTimeout, Clock clock)
            throws IOException {
        this.target = target;
        this.directory = dataDirectory.resolve("ssh");
        createPrivateDirectory(directory);
        this.socket = socketPath(directory, target.name());
        this.budget = budget;
        this.connectTimeout = connectTimeout;
        this.clock = clock;
        this.channels = new Semaphore(target.maxSessions(), true);
        this.local = new LocalShell(environment());
        if (interactive()) {
            // down until found up: the first look (an alert, unless a master outlived a router restart)
            downSince = clock.instant();
            dropUnreported = true;
        }
    }

    public SshTarget target() {
        return target;
    }

    public boolean interactive() {
        return target.login().equals("interactive");
    }

    /** The master's socket. */
    public Path socket() {
        return socket;
    }

    @Override
    public Shell shell() {
        return new MasterShell();
    }

    @Override
    public List<String> sshCommand() {
        List<String> argv = base();
        argv.addAll(List.of("-o", "ControlMaster=no", "-o", "BatchMode=yes", "-o", "ProxyCommand=false"));
        return argv;
    }

    @Override
    public String destination() {
        return target.host();
    }

    @Override
    public Optional<NeedsLogin> needsLogin() {
        if (!interactive()) {
            return Optional.empty();
        }
        if (downSince == null && !alive()) {
            markDown(null);
        } else if (downSince != null && alive()) {
            markUp();
        }
        Instant since = downSince;
        return since == null ? Optional.empty() : Optional.of(new NeedsLogin(target, since, waitingCommand));
    }

    /** The drop to alert about, once per drop. */
    public synchronized Optional<NeedsLogin> takeDrop() {
        Instant since = downSince;
        if (!dropUnreported || since == null) {
            return Optional.empty();
        }
        dropUnreported = false;
        return Optional.of(new NeedsLogin(target, since, waitingCommand));
    }

    /** Whether the master answers on its socket. */
    public boolean alive() {
        if (!Files.exists(socket)) {
            return false;
        }
        List<String> argv = base();
        argv.addAll(List.of("-O", "check", destination()));
        try {
            return local.run(argv, CHECK_TIMEOUT).succeeded();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The command a person runs in their own terminal to open the master (answering the prompts
     * themselves): ssh backgrounds itself once logged in.
     */
    public List<String> masterCommand() {
        List<String> argv = base();
        argv.addAll(List.of("-o", "ControlMaster=yes", "-o", "ControlPersist=yes"));
        argv.addAll(List.of("-o", "ConnectTimeout=" + Math.max(1, connectTimeout.toSeconds())));
        if (!serverAliveConfigured()) {
            argv.addAll(List.of("-o", "ServerAliveInterval=30"));
        }
        if (interactive()) {
            // the prompts are the point (a configuration may say BatchMode yes); a refused code ends the
            // login at once (a code counts once: the person runs login again with the next one)
            argv.addAll(List.of("-o", "BatchMode=no", "-o", "NumberOfPasswordPrompts=1"));
        }
        argv.addAll(List.of("-N", "-f", destination()));
        return argv;
    }

    /** The environment ssh runs in: the agent's socket, or none. */
    public Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put("SSH_AUTH_SOCK", target.agent() == null ? null : target.agent().toString());
        return env;
    }

    /** Where a master's opening writes what ssh says (read for the error). */
    Path openLog() {
        return directory.resolve(target.name() + ".log");
    }

    Path directory() {
        return directory;
    }

    /** Closes the master ({@code ssh -O exit}): an interactive cluster needs a login again. */
    public void close() {
        List<String> argv = base();
        argv.addAll(List.of("-O", "exit", destination()));
        try {
            local.run(argv, CHECK_TIMEOUT);
        } catch (IOException e) {
            LOG.warn("Closing the ssh master of {} failed: {}", target.name(), e.getMessage());
        }
        if (interactive()) {
            markDown(null);
        }
    }

    /** A person (or the relay) opened the master: the waiting work resumes on its next tick. */
    public void markUp() {
        synchronized (this) {
            if (downSince != null) {
                LOG.info("Cluster {}: logged in (needed a login since {})", target.name(), downSince);
            }
            downSince = null;
            waitingCommand = null;
            dropUnreported = false;
        }
    }

    private synchronized void markDown(String command) {
        if (downSince == null) {
            downSince = clock.instant();
            dropUnreported = true;
            LOG.warn("Cluster {}: ssh master down; needs: automatix login {}", target.name(), target.name());
        }
        if (command != null && waitingCommand == null) {
            waitingCommand = command;
        }
    }

    /**
     * Makes sure the master is up before a command: opened (batch) or {@link NeedsLogin}
     * (interactive). While its socket is there it is taken as up without asking (a client cannot
     * connect by itself, so a dead master shows as ssh's exit 255); {@code verify} asks it.
     */
    private void ensureMaster(String command, boolean verify) throws IOException {
        if (interactive()) {
            if (downSince != null) {
                if (!alive()) {
                    markDown(command);
                    throw new NeedsLogin(target, downSince, waitingCommand);
                }
                markUp();
            }
            return;
        }
        if (!verify && Files.exists(socket)) {
            return;
        }
        synchronized (opening) {
            if (!alive()) {
                openBatch();
            }
        }
    }

    /** Opens the master with the router's own credentials: BatchMode, one connect from the budget. */
    private void openBatch() throws IOException {
        budget.take(target);
        Files.deleteIfExists(socket); // a stale socket would make ssh run without multiplexing
        List<String> argv = masterCommand();
        int at = argv.indexOf("-N");
        Map<String, String> env = environment();
        if (AskpassScript.needed(target)) {
            // BatchMode refuses passphrase prompts (a configuration may say yes): the key's passphrase
            // comes from a script instead, and nothing else is asked
            argv.addAll(
                    at,
                    List.of(
                            "-o",
                            "BatchMode=no",
                            "-o",
                            "PasswordAuthentication=no",
                            "-o",
                            "KbdInteractiveAuthentication=no",
                            "-o",
                            "NumberOfPasswordPrompts=1"));
            env.putAll(AskpassScript.environment(target));
        } else {
            argv.addAll(at, List.of("-o", "BatchMode=yes"));
        }
        String stderr = runMaster(argv, env, null);
        if (stderr != null) {
            throw OpenSshErrors.failure(this, stderr);
        }
        LOG.info("Cluster {}: ssh master opened ({})", target.name(), socket);
    }

    /**
     * Runs the master's opening command (it backgrounds itself once logged in); stderr goes to a
     * file, as the backgrounded master and its ProxyJump helpers keep it open.
     *
     * @return null when the master is up, else what ssh said
     */
    String runMaster(List<String> argv, Map<String, String> env, Duration limit) throws IOException {
        Path log = openLog();
        Files.deleteIfExists(log);
        ProcessBuilder builder = new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(log.toFile());
        env.forEach((name, value) -> {
            if (value == null) {
                builder.environment().remove(name);
            } else {
                builder.environment().put(name, value);
            }
        });
        Process process = builder.start();
        Duration wait = limit != null ? limit : connectTimeout.plus(Duration.ofSeconds(30));
        try {
            if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return "ssh did not log in within " + wait.toSeconds() + " s\n" + read(log);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while opening the ssh master of " + target.name(), e);
        }
        if (process.exitValue() == 0 && alive()) {
            return null;
        }
        String said = read(log);
        return said.isBlank() ? "ssh exited with " + process.exitValue() : said;
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** The ssh options every invocation shares: configuration, overrides, the master's socket. */
    List<String> base() {
        List<String> argv = new ArrayList<>(List.of("ssh"));
        argv.addAll(List.of(
                "-F", target.sshConfig() == null ? "none" : target.sshConfig().toString()));
        if (target.user() != null) {
            argv.addAll(List.of("-l", target.user()));
        }
        if (target.port() != null) {
            argv.addAll(List.of("-p", String.valueOf(target.port())));
        }
        if (target.keyFile() != null) {
            argv.addAll(List.of("-i", target.keyFile().toString()));
        }
        Path defaultKnownHosts = Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
        if (target.knownHosts() != null && !target.knownHosts().equals(defaultKnownHosts)) {
            argv.addAll(List.of("-o", "UserKnownHostsFile=" + target.knownHosts()));
        }
        argv.addAll(List.of("-o", "StrictHostKeyChecking=yes", "-S", socket.toString()));
        return argv;
    }

    /** Whether the configuration sets ServerAliveInterval for the host ({@code ssh -G} says 0 when not). */
    private boolean serverAliveConfigured() {
        List<String> argv = base();
        argv.addAll(List.of("-G", destination()));
        try {
            CommandResult r = local.run(argv, CHECK_TIMEOUT);
            return r.succeeded() && r.stdout().lines().anyMatch(l -> l.matches("serveraliveinterval [1-9][0-9]*"));
        } catch (IOException e) {
            return false;
        }
    }

    /** What ssh -G says of a host (lower-case keys), for messages. */
    Map<String, String> effectiveConfig(String host) {
        List<String> argv = base();
        argv.addAll(List.of("-G", host));
        Map<String, String> config = new HashMap<>();
        try {
            CommandResult r = local.run(argv, CHECK_TIMEOUT);
            r.stdout().lines().forEach(l -> {
                int sp = l.indexOf(' ');
                if (sp > 0) {
                    config.putIfAbsent(l.substring(0, sp), l.substring(sp + 1));
                }
            });
        } catch (IOException e) {
            // messages then say less
        }
        return config;
    }

    static void writePrivate(Path file, String text, String mode) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    }

    static void createPrivateDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir.getParent());
            try {
                Files.createDirectory(
                        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException e) {
                // made by another target at the same time
            }
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }

    /**
     * {@code <data>/ssh/<name>.sock}, or, when that is too long for a unix socket, a hashed name in
     * {@code /tmp/automatix-<user>/} (mode 700).
     */
    static Path socketPath(Path directory, String name) throws IOException {
        Path socket = directory.resolve(name + ".sock").toAbsolutePath();
        if (socket.toString().length() <= MAX_SOCKET_PATH) {
            return socket;
        }
        Path shortDir = Path.of("/tmp", "automatix-" + System.getProperty("user.name"));
        createPrivateDirectory(shortDir);
        String hash;
        try {
            hash = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(socket.toString().getBytes(StandardCharsets.UTF_8)))
                    .substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return shortDir.resolve(hash + ".sock");
    }

    /** Waits for one of the master's max-sessions slots (released by the caller). */
    private void takeSession() throws IOException {
        try {
            channels.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a session to " + target.name(), e);
        }
    }

    /** rsync and streams are sessions of the master too: each takes a slot while it runs. */
    @Override
    public Shell sessionsOf(Shell local) {
        return new Shell() {
            @Override
            public CommandResult run(List<String> argv, byte[] stdin, Duration timeout, Consumer<String> lines)
                    throws IOException {
                takeSession();
                try {
                    return local.run(argv, stdin, timeout, lines);
                } finally {
                    channels.release();
                }
            }

            @Override
            public String describe() {
                return local.describe() + " through " + target.name();
            }
        };
    }

    /** Commands as sessions of the master, at most max-sessions at once. */
    private final class MasterShell implements Shell {

        @Override
        public CommandResult run(List<String> argv, byte[] stdin, Duration timeout, Consumer<String> stdoutLines)
                throws IOException {
            List<String> limited =
                    new ArrayList<>(List.of("timeout", "-k", "5", String.valueOf(Math.max(1, timeout.toSeconds()))));
            limited.addAll(argv);
            String command = ShellQuote.command(limited);
            List<String> ssh = sshCommand();
            ssh.add(destination());
            ssh.add(command);
            for (int attempt = 1; ; attempt++) {
                ensureMaster(String.join(" ", argv), attempt > 1);
                CommandResult result;
                takeSession();
                try {
                    result = local.run(ssh, stdin, timeout.plus(GRACE), stdoutLines);
                    // the server frees a session a moment after its client saw it end: a refused
                    // open (the command never ran) is tried again shortly
                    for (int refused = 0; refusedSession(result) && refused < 50; refused++) {
                        Thread.sleep(50L + 10L * refused);
                        result = local.run(ssh, stdin, timeout.plus(GRACE), stdoutLines);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for a session to " + target.name(), e);
                } finally {
                    channels.release();
                }
                if (result.exitCode() == 124) { // timeout(1) stopped it
                    return new CommandResult(124, result.stdout(), result.stderr(), true);
                }
                if (result.exitCode() != SSH_ERROR || alive()) {
                    return result;
                }
                // the master died under the command: open it again once (batch), or wait for a login
                if (interactive()) {
                    markDown(String.join(" ", argv));
                    throw new NeedsLogin(target, downSince, waitingCommand);
                }
                if (attempt == 2) {
                    throw OpenSshErrors.failure(OpenSshTransport.this, result.stderr());
                }
            }
        }

        private static boolean refusedSession(CommandResult result) {
            return result.exitCode() == SSH_ERROR && result.stderr().contains("Session open refused by peer");
        }

        @Override
        public String describe() {
            return target + " (openssh)";
        }
    }
}
