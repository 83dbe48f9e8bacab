package io.automatix.amqp;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import io.automatix.config.Settings;

/** Where the AMQP broker is; a blank host means the embedded broker. */
public record AmqpSettings(String host, int port, String user, String password, String virtualHost) {

    public static AmqpSettings from(Settings settings) {
        return new AmqpSettings(
                settings.optional("automatix.amqp.host").orElse(null),
                settings.getInt("automatix.amqp.port"),
                settings.get("automatix.amqp.user"),
                settings.get("automatix.amqp.password"),
                settings.get("automatix.amqp.virtual-host"));
    }

    public boolean external() {
        return host != null && !host.isBlank();
    }

    /** The broker as an amqp:// URL (for job wrappers on this host), credentials included. */
    public String url() {
        return "amqp://" + encode(user) + ":" + encode(password) + "@" + host + ":" + port + "/" + encode(virtualHost);
    }

    /** Never the password, wherever a record's default toString would print it (a log line, an error). */
    @Override
    public String toString() {
        return "AmqpSettings[host=" + host + ", port=" + port + ", user=" + user + ", password=***, virtualHost="
                + virtualHost + "]";
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public AmqpSettings onLoopback(int embeddedPort) {
        return new AmqpSettings("127.0.0.1", embeddedPort, user, password, virtualHost);
    }
}
