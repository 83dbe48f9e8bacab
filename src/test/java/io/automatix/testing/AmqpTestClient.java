package io.automatix.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;

/** A plain AMQP 0-9-1 client (the RabbitMQ Java client), as an acquisition system or consumer would use. */
public final class AmqpTestClient implements AutoCloseable {

    private final Connection connection;
    private final Channel channel;

    public AmqpTestClient(String host, int port, String vhost) throws IOException, TimeoutException {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(host);
        factory.setPort(port);
        factory.setUsername("guest");
        factory.setPassword("guest");
        factory.setVirtualHost(vhost);
        connection = factory.newConnection("automatix-test");
        channel = connection.createChannel();
        channel.confirmSelect();
    }

    public static AmqpTestClient rabbitmq(String vhost) throws IOException, TimeoutException {
        return new AmqpTestClient(TestServices.AMQP_HOST, TestServices.AMQP_PORT, vhost);
    }

    /** Publishes a persistent message to a queue through the default exchange and waits for the confirm. */
    public void publish(String queue, byte[] body) throws IOException, InterruptedException, TimeoutException {
        channel.basicPublish(
                "",
                queue,
                new AMQP.BasicProperties.Builder()
                        .deliveryMode(2)
                        .contentType("application/json")
                        .build(),
                body);
        channel.waitForConfirmsOrDie(5000);
    }

    public void publish(String queue, String body) throws IOException, InterruptedException, TimeoutException {
        publish(queue, body.getBytes(StandardCharsets.UTF_8));
    }

    /** A durable queue, as the router declares its own. */
    public void declare(String queue) throws IOException {
        channel.queueDeclare(queue, true, false, false, null);
    }

    /** A durable queue bound to the events exchange, so events are kept even while nobody reads. */
    public String bindEvents(String queue, String pattern) throws IOException {
        channel.queueDeclare(queue, true, false, false, null);
        channel.queueBind(queue, "automatix.events", pattern);
        return queue;
    }

    /** Takes one message, or null when the queue is empty. */
    public GetResponse take(String queue) throws IOException {
        return channel.basicGet(queue, true);
    }

    public static String header(GetResponse message, String name) {
        Map<String, Object> headers = message.getProps().getHeaders();
        Object value = headers == null ? null : headers.get(name);
        return value == null ? null : value.toString();
    }

    @Override
    public void close() throws IOException {
        connection.close();
    }
}
