package io.automatix.amqp;

import java.nio.charset.StandardCharsets;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.support.converter.AbstractMessageConverter;

/**
 * Gives a consuming route the message body exactly as it came, whatever content type or encoding
 * the sender claims: the route decides what it is. (Camel's default converter decodes text/* with
 * the claimed content encoding, and an unknown one failed before the route ran, so the message was
 * dropped after the retries instead of going to automatix.dead with the reason.)
 */
public final class RawBodyConverter extends AbstractMessageConverter {

    @Override
    protected Message createMessage(Object object, MessageProperties properties) {
        byte[] body = object instanceof byte[] bytes
                ? bytes
                : object == null ? new byte[0] : object.toString().getBytes(StandardCharsets.UTF_8);
        return new Message(body, properties);
    }

    @Override
    public Object fromMessage(Message message) {
        return message.getBody() == null ? new byte[0] : message.getBody();
    }
}
