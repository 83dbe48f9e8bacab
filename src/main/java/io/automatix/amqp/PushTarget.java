package io.automatix.amqp;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a cluster's jobs push their status, from its push URL ({@code amqp[s]://user:password@host:port/vhost}):
 * the broker's address goes on the wrapper's {@code amqp-publish} command line, the login never does
 * (it is in the job's credentials file, which {@code amqp-publish --authfile} reads).
 */
public record PushTarget(String host, int port, String virtualHost, boolean ssl, String user, String password) {

    public static PushTarget parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("push-url is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme();
        if (!"amqp".equals(scheme) && !"amqps".equals(scheme)) {
            throw new IllegalArgumentException("push-url must be amqp://user:password@host:port/vhost");
        }
        String info = uri.getRawUserInfo();
        if (info == null || !info.contains(":") || uri.getHost() == null) {
            throw new IllegalArgumentException(
                    "push-url must name the host and the publish-only user: amqp://user:password@host:port/vhost");
        }
        String user = decode(info.substring(0, info.indexOf(':')));
        String password = decode(info.substring(info.indexOf(':') + 1));
        if (user.isEmpty() || (user + password).contains("\n") || (user + password).contains("\r")) {
            throw new IllegalArgumentException("push-url: the user and password must be on one line each");
        }
        String path = uri.getRawPath();
        String vhost = path == null || path.isEmpty() || path.equals("/") ? "/" : decode(path.substring(1));
        boolean ssl = "amqps".equals(scheme);
        return new PushTarget(
                uri.getHost(), uri.getPort() > 0 ? uri.getPort() : ssl ? 5671 : 5672, vhost, ssl, user, password);
    }

    /** The file {@code amqp-publish --authfile} reads: exactly these two lines. */
    public String credentialsFile() {
        return "username:" + user + "\npassword:" + password + "\n";
    }

    /**
     * What the wrapper template knows of it ({@code push} in job.sh.ftl): the broker's address, and
     * the names of the job's two files, in its job directory.
     */
    public Map<String, Object> model(String keyName) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("server", host);
        m.put("port", port);
        m.put("vhost", virtualHost);
        m.put("ssl", ssl);
        m.put("exchange", AmqpTopology.JOB_STATUS_EXCHANGE);
        m.put("key_name", keyName);
        m.put("credentials", keyName + ".amqp");
        m.put("key", keyName + ".key");
        return m;
    }

    /** amqp-publish's options to reach the broker with the login in {@code authfile}: nothing secret. */
    public java.util.List<String> publishOptions(String authfile) {
        java.util.List<String> options = new java.util.ArrayList<>(java.util.List.of(
                "--server=" + host, "--port=" + port, "--vhost=" + virtualHost, "--authfile=" + authfile));
        if (ssl) {
            options.add("--ssl");
        }
        return options;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** Never the password. */
    @Override
    public String toString() {
        return "PushTarget[" + (ssl ? "amqps" : "amqp") + "://" + user + ":***@" + host + ":" + port + "/" + virtualHost
                + "]";
    }
}
