package io.automatix;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Text that lives in a file beside the class using it (SQL, shell functions) rather than in Java
 * strings, so that each is read, reviewed and checked (shellcheck) in its own language.
 */
public final class ResourceText {

    private ResourceText() {}

    /** The resource {@code name} in {@code owner}'s package; {@code kind} names it in the error. */
    public static String load(Class<?> owner, String name, String kind) {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing " + kind + " resource " + name + " beside " + owner.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
