package io.automatix.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** A router home of its own for a test: the project's routes, templates and pipelines, plus test files. */
public final class TestHome {

    private final Path root;

    private TestHome(Path root) {
        this.root = root;
    }

    public static TestHome copyOfProject() throws IOException {
        Path root = Files.createTempDirectory("automatix-home");
        for (String dir : new String[] {"routes", "templates", "pipelines", "workflows"}) {
            Path from = TestServices.PROJECT.resolve(dir);
            try (Stream<Path> files = Files.walk(from)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Path to = root.resolve(dir).resolve(from.relativize(f).toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(f, to);
                    }
                }
            }
        }
        return new TestHome(root);
    }

    /** Copies a test resource to a path in the home, e.g. ("process/fail.sh.ftl", "templates/test/fail.sh.ftl"). */
    public TestHome with(String resource, String path) {
        try (InputStream in = TestHome.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            Path to = root.resolve(path);
            Files.createDirectories(to.getParent());
            Files.write(to, in.readAllBytes());
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path path() {
        return root;
    }
}
