package io.automatix.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.camel.Exchange;

/**
 * The files of the status page ({@code /status}), read once from the jar's {@code status/} folder.
 * Only these three names are served: a request names a file, never a path, so nothing else of the
 * classpath can be reached through it.
 */
public final class StatusPage {

    private static final Map<String, String> TYPES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "status.js", "text/javascript; charset=utf-8",
            "status.css", "text/css; charset=utf-8");
    private static final Map<String, String> FILES = Map.of(
            "index.html", read("index.html"),
            "status.js", read("status.js"),
            "status.css", read("status.css"));

    private StatusPage() {}

    /** Serves the file named by the {@code file} path parameter, index.html without one; 404 for any other name. */
    public static void serve(Exchange exchange) {
        var message = exchange.getMessage();
        String file = message.getHeader("file", "index.html", String.class);
        String body = FILES.get(file);
        message.removeHeaders("*");
        if (body == null) {
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, 404);
            message.setHeader(Exchange.CONTENT_TYPE, "application/json");
            message.setBody("{\"error\": \"no such file\"}");
            return;
        }
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        message.setHeader(Exchange.CONTENT_TYPE, TYPES.get(file));
        // the page loads nothing from elsewhere and talks only to this router
        message.setHeader("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");
        message.setHeader("X-Content-Type-Options", "nosniff");
        message.setHeader("Cache-Control", "no-cache");
        message.setBody(body);
    }

    private static String read(String name) {
        try (InputStream in = StatusPage.class.getClassLoader().getResourceAsStream("status/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource status/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
