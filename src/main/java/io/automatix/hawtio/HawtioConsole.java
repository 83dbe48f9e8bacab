package io.automatix.hawtio;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;

/**
 * {@code automatix hawtio}: the Hawtio 4 console (hawtio-default 4.2.0 on Jetty 12) in a JVM of its
 * own, logged into with one user and password, and connected through Hawtio's proxy to the router's
 * read-only Jolokia ({@code /observe/jolokia}).
 *
 * <p>Two halves. {@link #launch} runs in the router's JVM (the CLI) and starts
 * {@code java -cp <home>/lib/* io.automatix.hawtio.HawtioConsole ...}; {@link #main} runs in that
 * process and starts Jetty. The console JVM must not see the router's classpath: the war's Jolokia 2.1.1
 * breaks next to the router's Jolokia 2.4.2. {@code <home>} is {@code target/hawtio/} beside
 * {@code target/automatix.jar} (the build puts Jetty, the war and this package's classes there), so
 * this class uses Jetty only by reflection and through {@code hawtio/jetty-hawtio.xml}.
 *
 * <p>The console listens on 127.0.0.1 only. {@code http://127.0.0.1:<port>/} stores the router
 * connection in the browser and opens {@code /hawtio/?con=automatix}; Hawtio asks for the login.
 */
public final class HawtioConsole {

    public static final int DEFAULT_PORT = 8090;
    public static final int DEFAULT_ROUTER_PORT = 8080;
    public static final String DEFAULT_USER = "admin";
    public static final String USER_ENV = "AUTOMATIX_HAWTIO_USER";
    public static final String PASSWORD_ENV = "AUTOMATIX_HAWTIO_PASSWORD";
    /** Overrides where the console's files are ({@code lib/*.jar}, {@code hawtio.war}). */
    public static final String HOME_PROPERTY = "automatix.hawtio.home";
    /** The router's management path (camel.management.path) and Jolokia under it. */
    public static final String JOLOKIA_PATH = "/observe/jolokia";

    static final String REALM = "automatix";
    static final String ROLE = "viewer";
    static final String CONNECTION_ID = "automatix";
    private static final String HOST = "127.0.0.1";
    private static final String WAR = "hawtio.war";
    private static final String LIB = "lib";
    private static final String PREFIX = "automatix hawtio: ";

    private HawtioConsole() {}

    // ---------------------------------------------------------------------------------------------
    // The CLI's half: start the console process.

    /**
     * Starts the console on 127.0.0.1:{@code consolePort}, connected to the router whose management
     * server (camel.management.port) listens on 127.0.0.1:{@code routerPort}; its output goes to this
     * process's. The files come from {@link #home()}.
     *
     * @throws IllegalStateException with a one-line message when the console's files are missing or an
     *                               argument is unusable
     */
    public static Process launch(int consolePort, int routerPort, String user, String password) throws IOException {
        return launch(
                home(),
                consolePort,
                URI.create("http://" + HOST + ":" + routerPort + JOLOKIA_PATH),
                user,
                password,
                ProcessBuilder.Redirect.INHERIT);
    }

    /**
     * {@code automatix hawtio} in one call: {@link #launch(int, int, String, String)}, then waits for the
     * console to end (Ctrl-C ends it too) and returns its exit code (0 on a normal stop, 2 for a usage
     * error, 1 when it could not start).
     *
     * @throws IllegalStateException as {@link #launch(int, int, String, String)}
     */
    public static int run(int consolePort, int routerPort, String user, String password)
            throws IOException, InterruptedException {
        Process console = launch(consolePort, routerPort, user, password);
        Thread stop = new Thread(console::destroy, "hawtio-console-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        try {
            return console.waitFor();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stop);
            } catch (IllegalStateException shuttingDown) {
                // the hook is already running
            }
        }
    }

    /**
     * The same with every choice explicit: {@code home} holds {@code lib/*.jar} and {@code hawtio.war};
     * {@code routerJolokia} is the router's Jolokia URL (a loopback http URL); {@code output} receives
     * the console's stdout and stderr.
     */
    public static Process launch(
            Path home, int consolePort, URI routerJolokia, String user, String password, ProcessBuilder.Redirect output)
            throws IOException {
        checkHome(home);
        checkPort(consolePort, "console port");
        connection(routerJolokia); // validates
        if (user == null || user.isBlank()) {
            throw new IllegalStateException(PREFIX + "a user name is needed (--user or " + USER_ENV + ")");
        }
        if (password == null || password.isEmpty()) {
            throw new IllegalStateException(PREFIX + "a password is needed (--password or " + PASSWORD_ENV + ")");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(home.resolve(LIB).toAbsolutePath() + "/*");
        command.add(HawtioConsole.class.getName());
        command.add("--home");
        command.add(home.toAbsolutePath().toString());
        command.add("--port");
        command.add(String.valueOf(consolePort));
        command.add("--router-jolokia");
        command.add(routerJolokia.toString());
        ProcessBuilder process = new ProcessBuilder(command);
        // credentials through the environment, never the command line (ps shows that)
        process.environment().put(USER_ENV, user);
        process.environment().put(PASSWORD_ENV, password);
        process.redirectErrorStream(true);
        process.redirectOutput(output);
        return process.start();
    }

    /**
     * Where the console's files are: {@code -Dautomatix.hawtio.home}, else {@code hawtio/} beside the
     * jar or classes directory this class was loaded from ({@code target/hawtio/} for
     * {@code target/automatix.jar} and {@code target/classes/}), else, when this class runs from
     * {@code <home>/lib/}, that home.
     */
    public static Path home() {
        String configured = System.getProperty(HOME_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path here;
        try {
            here = Path.of(HawtioConsole.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of("target", "hawtio");
        }
        Path parent = here.toAbsolutePath().getParent();
        if (parent.getFileName() != null
                && parent.getFileName().toString().equals(LIB)
                && Files.isRegularFile(parent.getParent().resolve(WAR))) {
            return parent.getParent();
        }
        return parent.resolve("hawtio");
    }

    private static void checkHome(Path home) {
        Path war = home.resolve(WAR);
        Path lib = home.resolve(LIB);
        boolean jetty = false;
        boolean launcher = false;
        if (Files.isDirectory(lib)) {
            try (Stream<Path> jars = Files.list(lib)) {
                for (Path jar : (Iterable<Path>) jars::iterator) {
                    String name = jar.getFileName().toString();
                    jetty |= name.startsWith("jetty-ee10-webapp-");
                    launcher |= name.endsWith("-hawtio.jar");
                }
            } catch (IOException e) {
                jetty = false;
            }
        }
        if (!Files.isRegularFile(war) || !jetty || !launcher) {
            throw new IllegalStateException(PREFIX + "the Hawtio console is not built in " + home.toAbsolutePath()
                    + " (needs hawtio.war and lib/ with Jetty and automatix-hawtio.jar); run 'mvn package'"
                    + " and keep target/hawtio/ beside target/automatix.jar");
        }
    }

    private static void checkPort(int port, String what) {
        if (port < 1 || port > 65535) {
            throw new IllegalStateException(PREFIX + "invalid " + what + " " + port);
        }
    }

    /** The connection Hawtio stores for the router, as JSON. */
    static String connection(URI jolokia) {
        String scheme = jolokia.getScheme() == null ? "" : jolokia.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || jolokia.getHost() == null) {
            throw new IllegalStateException(PREFIX + "the router's Jolokia must be an http(s) URL, not " + jolokia);
        }
        if (!List.of("127.0.0.1", "localhost", "[::1]")
                .contains(jolokia.getHost().toLowerCase(Locale.ROOT))) {
            throw new IllegalStateException(PREFIX + "the router's Jolokia must be on this machine (127.0.0.1),"
                    + " like its management server, not " + jolokia);
        }
        int port = jolokia.getPort() > 0 ? jolokia.getPort() : scheme.equals("https") ? 443 : 80;
        String path = jolokia.getRawPath() == null || jolokia.getRawPath().isEmpty() ? "/" : jolokia.getRawPath();
        return "{\"id\":" + json(CONNECTION_ID) + ",\"name\":" + json("Automatix router")
                + ",\"scheme\":" + json(scheme) + ",\"host\":" + json(jolokia.getHost())
                + ",\"port\":" + port + ",\"path\":" + json(path) + "}";
    }

    private static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\' || c == '/' || c < 0x20 || c == '<' || c == '>' || c == '&') {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    // ---------------------------------------------------------------------------------------------
    // The console process's half.

    /**
     * {@code java -cp <home>/lib/* io.automatix.hawtio.HawtioConsole [--port 8090]
     * [--router-port 8080 | --router-jolokia URL] [--user NAME] [--home DIR]}; the user defaults to
     * {@value #USER_ENV} or {@value #DEFAULT_USER}, the password comes from {@value #PASSWORD_ENV}.
     */
    public static void main(String[] args) {
        try {
            serve(args);
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        } catch (Exception e) {
            Throwable cause = e;
            while (cause instanceof InvocationTargetException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            System.err.println(PREFIX + "the console did not start: " + cause);
            System.exit(1);
        }
    }

    private static void serve(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int port = integer(options.getOrDefault("port", String.valueOf(DEFAULT_PORT)), "--port");
        checkPort(port, "console port");
        URI jolokia = options.containsKey("router-jolokia")
                ? URI.create(options.get("router-jolokia"))
                : URI.create("http://" + HOST + ":"
                        + integer(
                                options.getOrDefault("router-port", String.valueOf(DEFAULT_ROUTER_PORT)),
                                "--router-port")
                        + JOLOKIA_PATH);
        String connection = connection(jolokia);
        String user = options.getOrDefault("user", System.getenv().getOrDefault(USER_ENV, DEFAULT_USER));
        String password = System.getenv(PASSWORD_ENV);
        if (user.isBlank()) {
            throw new IllegalStateException(PREFIX + "the user name is empty");
        }
        if (password == null || password.isEmpty()) {
            throw new IllegalStateException(PREFIX + "set " + PASSWORD_ENV + " to the console's login password");
        }
        Path home = options.containsKey("home") ? Path.of(options.get("home")) : home();
        checkHome(home);
        requireOwnClasspath();

        HawtioLoginModule.configure(user, password);
        Configuration.setConfiguration(new RealmConfiguration());
        System.setProperty("hawtio.authenticationEnabled", "true");
        System.setProperty("hawtio.realm", REALM);
        System.setProperty("hawtio.roles", ROLE);
        System.setProperty("hawtio.rolePrincipalClasses", HawtioRole.class.getName());
        // the proxy reaches the router's host (loopback; Hawtio's own list is localhost and 127.0.0.1),
        // not whatever else probing the local addresses would add
        System.setProperty("hawtio.proxyAllowlist", jolokia.getHost());
        System.setProperty("hawtio.localAddressProbing", "false");

        Path work = Files.createTempDirectory("automatix-hawtio-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(work)));
        Path site = Files.createDirectory(work.resolve("site"));
        Files.writeString(
                site.resolve("index.html"), resource("hawtio/index.html").replace("/*CONNECTION*/{}", connection));
        Path policy = work.resolve("jolokia-access.xml");
        Files.writeString(policy, resource("hawtio/jolokia-access.xml"));
        System.setProperty("jolokia.policyLocation", policy.toUri().toString());
        Path xml = work.resolve("jetty-hawtio.xml");
        Files.writeString(xml, resource("hawtio/jetty-hawtio.xml"));
        Map<String, String> properties = Map.of(
                "automatix.hawtio.host", HOST,
                "automatix.hawtio.port", String.valueOf(port),
                "automatix.hawtio.war", home.resolve(WAR).toAbsolutePath().toString(),
                "automatix.hawtio.site", site.toAbsolutePath().toString());
        Object server = jetty(xml, properties);
        System.out.println(PREFIX + "console at http://" + HOST + ":" + port + "/ (user " + user
                + "), for the router's Jolokia at " + jolokia);
        server.getClass().getMethod("join").invoke(server);
    }

    /** Builds the Server from the XML with Jetty's XmlConfiguration and starts it. */
    private static Object jetty(Path xml, Map<String, String> properties) throws Exception {
        Class<?> resourceFactory = Class.forName("org.eclipse.jetty.util.resource.ResourceFactory");
        Class<?> resourceClass = Class.forName("org.eclipse.jetty.util.resource.Resource");
        Class<?> xmlConfiguration = Class.forName("org.eclipse.jetty.xml.XmlConfiguration");
        Object factory = resourceFactory.getMethod("root").invoke(null);
        Object resource = resourceFactory.getMethod("newResource", Path.class).invoke(factory, xml);
        Object configuration = xmlConfiguration.getConstructor(resourceClass).newInstance(resource);
        @SuppressWarnings("unchecked")
        Map<String, String> props = (Map<String, String>)
                xmlConfiguration.getMethod("getProperties").invoke(configuration);
        props.putAll(properties);
        Object server = xmlConfiguration.getMethod("configure").invoke(configuration);
        server.getClass().getMethod("start").invoke(server);
        return server;
    }

    /** Refuses to start where the router's Jolokia (or Camel) is visible: the war's Jolokia would break. */
    private static void requireOwnClasspath() {
        ClassLoader loader = HawtioConsole.class.getClassLoader();
        if (loader.getResource("org/jolokia/server/core/Version.class") != null
                || loader.getResource("org/apache/camel/CamelContext.class") != null) {
            throw new IllegalStateException(PREFIX + "run the console with only " + LIB
                    + "/* of its home on the classpath (HawtioConsole.launch does), not the router's jar");
        }
        try {
            Class.forName("org.eclipse.jetty.ee10.webapp.WebAppContext", false, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(PREFIX + "Jetty 12 ee10 is not on the classpath; run the console with "
                    + LIB + "/* of its home (HawtioConsole.launch does)");
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalStateException(PREFIX + "unexpected argument " + arg);
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalStateException(PREFIX + "--" + name + " needs a value");
            }
            if (!List.of("port", "router-port", "router-jolokia", "user", "home")
                    .contains(name)) {
                throw new IllegalStateException(
                        PREFIX + "unknown option --" + name + " (the password comes from " + PASSWORD_ENV + ")");
            }
            options.put(name, value);
        }
        return options;
    }

    private static int integer(String value, String option) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException(PREFIX + option + " must be a number, not " + value);
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = HawtioConsole.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(PREFIX + name + " is missing from the console's classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temp directory; nothing else to do
        }
    }

    /** JAAS: the realm Hawtio logs into is {@link HawtioLoginModule}; nothing else is configured. */
    private static final class RealmConfiguration extends Configuration {
        @Override
        public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
            if (!REALM.equals(name)) {
                return null;
            }
            return new AppConfigurationEntry[] {
                new AppConfigurationEntry(
                        HawtioLoginModule.class.getName(),
                        AppConfigurationEntry.LoginModuleControlFlag.REQUIRED,
                        Map.of())
            };
        }
    }
}
