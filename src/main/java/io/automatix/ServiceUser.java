package io.automatix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.automatix.config.Settings;

/**
 * Who the router runs as. It holds the cluster credentials, the database password and the archive
 * keys, and runs commands on behalf of its users: as root, any mistake or hole in it would be the
 * whole host's. So it refuses root unless told otherwise ({@code --allow-root}, or
 * {@code automatix.allow-root = true}).
 */
final class ServiceUser {

    static final String ALLOW_ROOT = "automatix.allow-root";

    private ServiceUser() {}

    static void refuseRoot(Settings settings) {
        if (isRoot() && !settings.getBoolean(ALLOW_ROOT)) {
            throw new RefusedToStart("refusing to run as root: the router holds the cluster credentials, the"
                    + " database password and the archive keys, and runs commands for its users. Run it as a"
                    + " dedicated service user (e.g. useradd --system --create-home automatix; runuser -u"
                    + " automatix -- automatix router), or, if you must, start it with --allow-root"
                    + " (or " + ALLOW_ROOT + " = true)");
        }
    }

    /** The effective user id is 0 (Linux: /proc/self/status; elsewhere: the user's name). */
    static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.substring(4).trim().split("\\s+")[1].equals("0");
                }
            }
        } catch (IOException | RuntimeException e) {
            // no procfs: fall back to the name
        }
        return "root".equals(System.getProperty("user.name"));
    }
}
