package io.automatix.transfer;

import io.automatix.run.Roots;
import io.automatix.ssh.SshTarget;

/**
 * An acquisition host ({@code automatix.sources.<name>.*}) that runs name as their source_host.
 *
 * @param ssh       how the router reaches it; null for the router's own host
 * @param liveCheck a command that exits 0 while an acquisition is running (e.g. {@code pgrep -x obelix});
 *                  null for none. Operator configuration, run by sh on the source host
 * @param pushSsh   in push mode, the ssh command the source host uses to reach the cluster (rsync -e)
 * @param roots     the directories its runs may come from ({@code automatix.sources.<name>.roots})
 */
public record Source(String name, SshTarget ssh, String liveCheck, String pushSsh, Roots roots) {}
