package io.automatix.ssh;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What ssh(1) said on stderr when it could not log in, turned into an {@link SshFailure} that names
 * the cluster, the host or hop, the file involved and what to do.
 */
final class OpenSshErrors {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern UNKNOWN_KEY =
            Pattern.compile("No (\\S+) host key is known for (\\S+) and you have requested strict checking");
    private static final Pattern NEW_FINGERPRINT =
            Pattern.compile("The fingerprint for the (\\S+) key sent by the remote host is\\s+(\\S+?)\\.?\\s");
    private static final Pattern OFFENDING = Pattern.compile("Offending (\\S+) key in (\\S+):(\\d+)");
    private static final Pattern CONNECT =
            Pattern.compile("ssh: (connect to host (\\S+) port (\\d+): .*|Could not resolve hostname (\\S+): .*)");
    private static final Pattern DENIED = Pattern.compile("Permission denied \\(([^)]*)\\)");
    private static final Pattern NO_IDENTITY =
            Pattern.compile("(?:Identity file (\\S+) not accessible|no such identity: ([^:]+)): .*");

    private OpenSshErrors() {}

    static SshFailure failure(OpenSshTransport transport, String stderr) {
        SshTarget target = transport.target();
        String said = stderr == null ? "" : stderr;
        Map<String, String> config = transport.effectiveConfig(target.host());
        String knownHosts = target.knownHosts() != null
                ? target.knownHosts().toString()
                : config.getOrDefault("userknownhostsfile", "~/.ssh/known_hosts");
        String proxyJump = config.get("proxyjump");

        if (said.contains("REMOTE HOST IDENTIFICATION HAS CHANGED")) {
            Matcher fp = NEW_FINGERPRINT.matcher(said);
            Matcher off = OFFENDING.matcher(said);
            String now = fp.find() ? fp.group(2) : "(see ssh's message)";
            String file = off.find() ? off.group(2) : knownHosts;
            String line = off.hitEnd() ? "?" : off.group(3);
            String was = line.equals("?") ? "(unknown)" : fingerprintOfLine(Path.of(file), Integer.parseInt(line));
            return new SshFailure(
                    target,
                    "the host key of " + target.host() + " has CHANGED: " + file + " line " + line + " has " + was
                            + ", the host now sends " + now,
                    "ask the site whether the host's key was replaced; if it was, remove line " + line + " of " + file
                            + " (ssh-keygen -R " + target.host() + " -f " + file + ") and add the new key");
        }
        Matcher unknown = UNKNOWN_KEY.matcher(said);
        if (unknown.find()) {
            String host = unknown.group(2);
            String line = scanKey(transport);
            String fingerprint = line == null ? "(could not be read)" : fingerprintOf(line);
            return new SshFailure(
                    target,
                    "the host key of " + host + " is not in " + knownHosts + " (it sends " + fingerprint + ")",
                    "check the fingerprint with the site, then add this line to " + knownHosts + ": "
                            + (line == null ? "(ssh-keyscan " + host + ")" : line));
        }
        Matcher connect = CONNECT.matcher(said);
        if (connect.find()) {
            String host = connect.group(2) != null ? connect.group(2) : connect.group(4);
            String destination = config.getOrDefault("hostname", target.host());
            if (proxyJump != null && !proxyJump.equals("none") && !host.equals(destination)) {
                return new SshFailure(
                        target,
                        "the jump host " + host + " (ProxyJump " + proxyJump + " in " + fileName(target.sshConfig())
                                + ") failed: " + connect.group(1),
                        "check that hop: ssh -F " + fileName(target.sshConfig()) + " "
                                + proxyJump.split(",")[0]);
            }
            return new SshFailure(
                    target,
                    connect.group(1),
                    "check the host's name and port (" + fileName(target.sshConfig()) + ") and that it is up");
        }
        Matcher denied = DENIED.matcher(said);
        if (denied.find()) {
            Matcher noKey = NO_IDENTITY.matcher(said);
            if (noKey.find()) {
                String key = noKey.group(1) != null ? noKey.group(1) : noKey.group(2);
                return new SshFailure(
                        target,
                        "the key file " + key + " is missing or unreadable",
                        "put the key there or set automatix.clusters." + target.name() + ".key (or IdentityFile in "
                                + fileName(target.sshConfig()) + ")");
            }
            if (said.contains("partial success") || denied.group(1).equals("keyboard-interactive")) {
                return new SshFailure(
                        target,
                        "second factor refused (keyboard-interactive)",
                        "run automatix login " + target.name() + " again with a fresh code (a code counts once)");
            }
            return new SshFailure(
                    target,
                    "login refused (" + denied.group(1) + ")",
                    "check the user and that the key is in the host's authorized_keys");
        }
        if (proxyJump != null
                && !proxyJump.equals("none")
                && (said.contains("kex_exchange_identification") || said.contains("UNKNOWN port 65535"))) {
            // ssh does not say which hop failed (the jump's own ssh runs quiet): the first hop is
            // reached from here, so try it; a later one is named by the chain
            String first = proxyJump.split(",")[0];
            Map<String, String> hop = transport.effectiveConfig(first.replaceFirst("^[^@]*@", ""));
            String hopHost = hop.getOrDefault("hostname", first);
            int hopPort = Integer.parseInt(hop.getOrDefault("port", "22"));
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(hopHost, hopPort), 5000);
            } catch (IOException e) {
                return new SshFailure(
                        target,
                        "the jump host " + first + " (" + hopHost + ":" + hopPort + ", ProxyJump " + proxyJump + " in "
                                + fileName(target.sshConfig()) + ") cannot be reached: " + e.getMessage(),
                        "check that hop's HostName and Port in " + fileName(target.sshConfig())
                                + " and that it is up: ssh -F " + fileName(target.sshConfig()) + " " + first);
            }
            return new SshFailure(
                    target,
                    "the jump via " + proxyJump + " (ProxyJump in " + fileName(target.sshConfig()) + ") failed: "
                            + firstLines(said),
                    "check each hop: ssh -F " + fileName(target.sshConfig()) + " "
                            + proxyJump.split(",")[0]);
        }
        return new SshFailure(
                target,
                "ssh failed: " + firstLines(said),
                "try by hand: " + ShellQuote.command(transport.masterCommand()));
    }

    private static String fileName(Path config) {
        return config == null ? "(no ssh-config)" : config.toString();
    }

    private static String firstLines(String said) {
        List<String> lines = new ArrayList<>();
        said.lines().filter(l -> !l.isBlank() && !l.startsWith("@")).limit(3).forEach(lines::add);
        return lines.isEmpty() ? "(nothing said)" : String.join(" / ", lines);
    }

    /**
     * The host's key as a known_hosts line, read by an ssh that accepts it into a scratch file and
     * tries no authentication at all (it reaches the host the same way, hops and all).
     */
    private static String scanKey(OpenSshTransport transport) {
        try {
            Path scratch = Files.createTempFile(transport.directory(), "known_hosts", ".scan");
            try {
                // the same options without the socket, the known hosts and the strict checking (the first -o wins)
                List<String> base = transport.base();
                List<String> argv = new ArrayList<>();
                for (int i = 0; i < base.size(); i++) {
                    String next = i + 1 < base.size() ? base.get(i + 1) : "";
                    if (base.get(i).equals("-S")
                            || (base.get(i).equals("-o")
                                    && (next.startsWith("UserKnownHostsFile=")
                                            || next.startsWith("StrictHostKeyChecking=")))) {
                        i++;
                        continue;
                    }
                    argv.add(base.get(i));
                }
                argv.addAll(List.of(
                        "-o",
                        "UserKnownHostsFile=" + scratch,
                        "-o",
                        "GlobalKnownHostsFile=/dev/null",
                        "-o",
                        "StrictHostKeyChecking=accept-new",
                        "-o",
                        "HashKnownHosts=no",
                        "-o",
                        "BatchMode=yes",
                        "-o",
                        "ControlMaster=no",
                        "-o",
                        "ControlPath=none",
                        "-o",
                        "PubkeyAuthentication=no",
                        "-o",
                        "PasswordAuthentication=no",
                        "-o",
                        "KbdInteractiveAuthentication=no",
                        "-o",
                        "HostbasedAuthentication=no",
                        "-o",
                        "GSSAPIAuthentication=no",
                        transport.destination(),
                        "true"));
                new LocalShell(transport.environment()).run(argv, TIMEOUT);
                return Files.readAllLines(scratch).stream()
                        .filter(l -> !l.isBlank())
                        .findFirst()
                        .orElse(null);
            } finally {
                Files.deleteIfExists(scratch);
            }
        } catch (IOException e) {
            return null;
        }
    }

    private static String fingerprintOf(String knownHostsLine) {
        try {
            Path tmp = Files.createTempFile("automatix-key", ".line");
            try {
                Files.writeString(tmp, knownHostsLine + "\n");
                CommandResult r = new LocalShell().run(List.of("ssh-keygen", "-l", "-f", tmp.toString()), TIMEOUT);
                String[] f = r.stdout().strip().split("\\s+");
                return r.succeeded() && f.length > 1 ? f[1] : "(unknown)";
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            return "(unknown)";
        }
    }

    private static String fingerprintOfLine(Path file, int line) {
        try {
            List<String> lines = Files.readAllLines(file);
            return line >= 1 && line <= lines.size() ? fingerprintOf(lines.get(line - 1)) : "(unknown)";
        } catch (IOException e) {
            return "(unknown)";
        }
    }
}
