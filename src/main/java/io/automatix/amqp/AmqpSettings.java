package io.automatix.amqp;

/** Where the AMQP broker is; a blank host means the embedded broker. */
public record AmqpSettings(String host, int port, String user, String password, String virtualHost) {

    public boolean external() {
        return host != null && !host.isBlank();
    }

    public AmqpSettings onLoopback(int embeddedPort) {
        return new AmqpSettings("127.0.0.1", embeddedPort, user, password, virtualHost);
    }
}
