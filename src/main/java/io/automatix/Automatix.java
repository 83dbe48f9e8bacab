package io.automatix;

import java.nio.file.Files;
import java.nio.file.Path;

import io.automatix.cli.AutomatixCli;
import org.apache.camel.main.Main;
import org.slf4j.LoggerFactory;

/** The router: {@code java -jar automatix.jar}. */
public final class Automatix {

    private Automatix() {}

    /** {@code automatix} and {@code automatix router} run the router; any other command is the CLI's. */
    public static void main(String[] args) throws Exception {
        if (args.length == 0 || (args.length == 1 && args[0].equals(ALLOW_ROOT_OPTION))) {
            router(args.length == 1);
            return;
        }
        System.exit(AutomatixCli.run(args, allowRoot -> {
            router(allowRoot);
            return 0;
        }));
    }

    /** Lets the router run as root (see {@link ServiceUser}). */
    public static final String ALLOW_ROOT_OPTION = "--allow-root";

    private static void router(boolean allowRoot) {
        String home = home();
        if (!Files.isDirectory(Path.of(home, "routes"))) {
            System.err.println("automatix: no routes/ directory in "
                    + Path.of(home).toAbsolutePath() + "; run from the Automatix directory or set AUTOMATIX_HOME");
            System.exit(2);
        }
        try {
            Main main = newMain(home);
            if (allowRoot) {
                main.addOverrideProperty(ServiceUser.ALLOW_ROOT, "true");
            }
            main.run();
        } catch (Exception e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof RefusedToStart refused) {
                    System.err.println("automatix: " + refused.getMessage());
                    System.exit(2);
                }
            }
            // Without this, the threads of half-started services would keep the JVM alive.
            LoggerFactory.getLogger(Automatix.class).error("Automatix cannot start: {}", e.getMessage(), e);
            System.exit(1);
        }
    }

    /**
     * The application as both the jar and the tests start it. Settings come from the
     * {@code application.properties} inside the jar, then the one in {@code AUTOMATIX_HOME} (or the
     * working directory), then system properties and environment variables.
     */
    public static Main newMain(String home) {
        Main main = new Main();
        main.configure().addConfiguration(AutomatixConfiguration.class);
        // not "automatix.home": Camel would let the AUTOMATIX_HOME variable override -Dautomatix.home
        main.addOverrideProperty("automatix.home-dir", home);
        main.setDefaultPropertyPlaceholderLocation("classpath:application.properties;optional=true," + "file:" + home
                + "/application.properties;optional=true");
        return main;
    }

    /** Where routes/, templates/, pipelines/ and application.properties are looked up. */
    static String home() {
        String home = System.getProperty("automatix.home", System.getenv("AUTOMATIX_HOME"));
        return home == null || home.isBlank() ? "." : home;
    }
}
