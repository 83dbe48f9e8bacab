package io.automatix.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.automatix.ssh.CommandResult;
import io.automatix.ssh.LocalShell;
import io.automatix.ssh.ShellQuote;

/** Files of a cluster brought to this host: a copy on the local cluster, a stream over ssh from a remote one. */
public final class ClusterFiles {

    private static final LocalShell LOCAL = new LocalShell();

    private ClusterFiles() {}

    public static void fetch(Cluster cluster, String file, Path to, Duration timeout) throws IOException {
        if (!cluster.remote()) {
            Files.copy(Path.of(file), to, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        List<String> argv =
                new ArrayList<>(List.of("sh", "-c", "out=$1; shift; exec \"$@\" > \"$out\"", "sh", to.toString()));
        argv.addAll(cluster.ssh().sshCommand());
        argv.add(cluster.ssh().user() + "@" + cluster.ssh().host());
        argv.add("cat -- " + ShellQuote.quote(file));
        CommandResult r = LOCAL.run(argv, timeout);
        if (!r.succeeded()) {
            throw new IOException("fetching " + file + " from " + cluster.name() + " failed: " + r.summary());
        }
    }
}
