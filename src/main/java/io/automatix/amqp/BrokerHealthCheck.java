package io.automatix.amqp;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/** Ready while the AMQP broker accepts a connection. */
public final class BrokerHealthCheck extends AbstractHealthCheck {

    private final ConnectionFactory connectionFactory;

    public BrokerHealthCheck(ConnectionFactory connectionFactory) {
        super("automatix", "broker");
        this.connectionFactory = connectionFactory;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            Connection connection = connectionFactory.createConnection();
            if (connection.isOpen()) {
                builder.up();
            } else {
                builder.down().message("connection closed");
            }
        } catch (Exception e) {
            builder.down().message(e.getMessage()).error(e);
        }
    }
}
