package io.automatix.amqp;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Channel;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/**
 * The queues and exchanges Automatix uses, declared once at startup, all durable. Routes consume
 * and publish with {@code autoDeclare=false}: camel-spring-rabbitmq 4.17 declares queues non-durable
 * by default (CAMEL-24173), and RabbitMQ-only arguments (x-dead-letter-*) would not work on the
 * embedded broker, so dead-lettering is done by the routes.
 */
public final class AmqpTopology {

    /** Runs offered by acquisition systems (JSON, see README). */
    public static final String RUNS_QUEUE = "automatix.runs";
    /** Messages that could not be used, with the reason in the {@code automatix-dead-reason} header. */
    public static final String DEAD_QUEUE = "automatix.dead";
    /** Topic exchange of every recorded transition, routing key = event type (e.g. run.acquired). */
    public static final String EVENTS_EXCHANGE = "automatix.events";
    /** Wakes the transfer flow when a run is acquired (the timer sweep is the backstop). */
    public static final String TRANSFER_WAKE_QUEUE = "automatix.transfer.wake";

    /** Job status pushed by the job wrappers: {"job": name, "event": "started"|"finished", "exit_code": n, "at": s}. */
    public static final String JOB_STATUS_QUEUE = "automatix.job-status";
    /**
     * Where jobs publish it: a fanout exchange of the same name into that queue, so that a cluster's
     * publish-only broker user may write to it and to nothing else (RabbitMQ permissions configure
     * '^$', write '^automatix\.job-status$', read '^$'; the default exchange would reach every queue).
     */
    public static final String JOB_STATUS_EXCHANGE = "automatix.job-status";
    /** Wakes the process flow when a run is on deck (the timer sweep is the backstop). */
    public static final String PROCESS_WAKE_QUEUE = "automatix.process.wake";

    /**
     * The supervise flow's queues: each is fed by a fanout exchange of the same name that also
     * copies every message to its {@code .debug} twin, for operators to read.
     */
    public static final List<String> SUPERVISION_QUEUES =
            List.of("automatix.supervisor.format", "automatix.supervisor.dispatch", "automatix.alerts");

    private AmqpTopology() {}

    public static CachingConnectionFactory connectionFactory(AmqpSettings settings) {
        CachingConnectionFactory factory = new CachingConnectionFactory(settings.host(), settings.port());
        factory.setUsername(settings.user());
        factory.setPassword(settings.password());
        factory.setVirtualHost(settings.virtualHost());
        // CORRELATED makes camel-spring-rabbitmq's confirm=auto wait for broker confirms (field notes §2.4).
        factory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        factory.setConnectionNameStrategy(f -> "automatix");
        return factory;
    }

    /**
     * Declares the topology on every new connection, so it is there after the broker restarts
     * (the embedded broker keeps nothing) and before any route publishes or consumes.
     */
    public static void declareOnConnect(CachingConnectionFactory factory) {
        factory.addConnectionListener(connection -> {
            try (Channel channel = connection.createChannel(false)) {
                channel.queueDeclare(RUNS_QUEUE, true, false, false, null);
                channel.queueDeclare(DEAD_QUEUE, true, false, false, null);
                channel.exchangeDeclare(EVENTS_EXCHANGE, "topic", true);
                channel.queueDeclare(TRANSFER_WAKE_QUEUE, true, false, false, null);
                channel.queueBind(TRANSFER_WAKE_QUEUE, EVENTS_EXCHANGE, "run.acquired");
                channel.queueDeclare(JOB_STATUS_QUEUE, true, false, false, null);
                channel.exchangeDeclare(JOB_STATUS_EXCHANGE, "fanout", true);
                channel.queueBind(JOB_STATUS_QUEUE, JOB_STATUS_EXCHANGE, "");
                channel.queueDeclare(PROCESS_WAKE_QUEUE, true, false, false, null);
                channel.queueBind(PROCESS_WAKE_QUEUE, EVENTS_EXCHANGE, "run.ondeck");
                for (String queue : SUPERVISION_QUEUES) {
                    channel.exchangeDeclare(queue, "fanout", true);
                    channel.queueDeclare(queue, true, false, false, null);
                    channel.queueDeclare(queue + ".debug", true, false, false, null);
                    channel.queueBind(queue, queue, "");
                    channel.queueBind(queue + ".debug", queue, "");
                }
            } catch (IOException | TimeoutException e) {
                throw new AmqpException("cannot declare Automatix's queues and exchanges", e);
            }
        });
    }
}
