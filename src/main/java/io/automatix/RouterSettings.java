package io.automatix;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;

import io.automatix.config.Settings;

/**
 * What belongs to this router rather than to one flow.
 *
 * @param id                its name in claims and events ({@code automatix.router-id}, default {@code <host>-<pid>})
 * @param home              where routes/, templates/, pipelines/ and workflows/ are
 * @param data              where the embedded services, staging and archive files are (absolute)
 * @param sshConnectTimeout the limit to connect and log in to a host
 * @param quartzThreads     threads firing quartz schedules
 */
record RouterSettings(String id, Path home, Path data, Duration sshConnectTimeout, int quartzThreads) {

    static RouterSettings from(Settings settings) {
        return new RouterSettings(
                settings.optional("automatix.router-id").orElseGet(RouterSettings::defaultId),
                Path.of(settings.get("automatix.home-dir")),
                Path.of(settings.get("automatix.data-dir")).toAbsolutePath(),
                settings.seconds("automatix.ssh.connect-timeout-seconds"),
                settings.getInt("automatix.quartz.threads"));
    }

    private static String defaultId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "localhost";
        }
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
    }
}
