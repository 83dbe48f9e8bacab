package io.automatix.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.rabbitmq.client.Channel;
import io.automatix.amqp.AmqpTopology;
import io.automatix.scheduler.JobStatus;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareBatchMessageListener;

/**
 * Consumes {@code automatix.job-status} in batches (up to batch-size messages, or what arrived
 * within a few milliseconds) and applies each batch in one transaction; the messages are acked
 * after the commit (a crash redelivers them, and applying twice changes nothing). A message that
 * can never be applied goes to {@code automatix.dead} with the reason, as the routes do. This is a
 * listener container rather than a route because Camel delivers one message per exchange, and a
 * transaction per message is the cost this avoids. A report that is not signed with its job's key
 * ({@link JobStatusMessage#verified}) is dead-lettered too, and changes nothing.
 */
public final class JobStatusListener extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(JobStatusListener.class);

    private final SimpleMessageListenerContainer container;
    private final RabbitTemplate dead;
    private final JobEngine engine;
    private final StatusKeys keys;

    public JobStatusListener(ConnectionFactory connectionFactory, JobEngine engine, StatusKeys keys, int batchSize) {
        this.engine = engine;
        this.keys = keys;
        this.dead = new RabbitTemplate(connectionFactory);
        this.container = new SimpleMessageListenerContainer(connectionFactory);
        container.setQueueNames(AmqpTopology.JOB_STATUS_QUEUE);
        container.setConsumerBatchEnabled(true);
        container.setBatchSize(batchSize);
        container.setPrefetchCount(batchSize * 2);
        container.setReceiveTimeout(10); // ms to wait for more before a partial batch goes
        container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
        container.setMissingQueuesFatal(false);
        container.setRecoveryInterval(5000);
        container.setMessageListener((ChannelAwareBatchMessageListener) this::onBatch);
    }

    private void onBatch(List<Message> messages, Channel channel) {
        if (messages.isEmpty()) {
            return;
        }
        long last = messages.get(messages.size() - 1).getMessageProperties().getDeliveryTag();
        List<JobStatus> statuses = new ArrayList<>(messages.size());
        for (Message m : messages) {
            if (JobStatusMessage.isDoctorPing(m.getBody())) {
                continue; // automatix doctor's test job reached the broker: nothing to apply
            }
            try {
                Object mac = m.getMessageProperties().getHeader(StatusKeys.MAC_HEADER);
                statuses.add(JobStatusMessage.verified(
                        m.getBody(), mac == null ? null : mac.toString(), keys, Instant.now()));
            } catch (IllegalArgumentException e) {
                deadLetter(m, e.getMessage());
            }
        }
        try {
            try {
                engine.applyPushed(statuses);
            } catch (RuntimeException e) {
                LOG.warn(
                        "Could not apply {} job status report(s), they are requeued: {}",
                        statuses.size(),
                        e.getMessage());
                channel.basicNack(last, true, true);
                Thread.sleep(1000); // the database is down: do not spin on redeliveries
                return;
            }
            channel.basicAck(last, true);
        } catch (IOException e) {
            // the channel broke: the broker redelivers what was not acked, and applying twice changes nothing
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deadLetter(Message message, String reason) {
        LOG.warn("dead letter from job-status: {}", reason);
        MessageProperties p = message.getMessageProperties();
        p.setHeader("automatix-dead-reason", reason);
        p.setHeader("automatix-dead-route", "job-status");
        p.setHeader("automatix-dead-at", Instant.now().toString());
        dead.send("", AmqpTopology.DEAD_QUEUE, new Message(message.getBody(), p));
    }

    @Override
    protected void doStart() {
        container.start();
    }

    @Override
    protected void doStop() {
        container.stop();
    }
}
