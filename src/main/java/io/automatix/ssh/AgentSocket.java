package io.automatix.ssh;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.sshd.agent.common.AbstractAgentProxy;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * A client of an ssh-agent at a unix socket ({@code SSH_AUTH_SOCK}), over Java's own unix-domain
 * sockets: MINA's agent client needs the native APR library. MINA encodes the messages
 * (REQUEST_IDENTITIES 11 / IDENTITIES_ANSWER 12, SIGN_REQUEST 13 / SIGN_RESPONSE 14 with the
 * rsa-sha2 flags); this class carries them, one request at a time.
 */
public final class AgentSocket extends AbstractAgentProxy {

    private static final int MAX_MESSAGE = 256 * 1024;

    private final Path socket;
    private SocketChannel channel;

    public AgentSocket(Path socket) {
        super(null);
        this.socket = socket;
    }

    public Path socket() {
        return socket;
    }

    /** The agent's keys, with their comments. */
    public List<Map.Entry<PublicKey, String>> keys() throws IOException {
        List<Map.Entry<PublicKey, String>> keys = new ArrayList<>();
        getIdentities().forEach(keys::add);
        return keys;
    }

    @Override
    protected synchronized Buffer request(Buffer buffer) throws IOException {
        if (channel == null) {
            SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                c.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                c.close();
                throw new IOException("cannot reach the ssh-agent at " + socket + ": " + e.getMessage(), e);
            }
            channel = c;
        }
        ByteBuffer out = ByteBuffer.wrap(buffer.array(), buffer.rpos(), buffer.available());
        while (out.hasRemaining()) {
            channel.write(out);
        }
        ByteBuffer length = read(4);
        int n = length.getInt();
        if (n <= 0 || n > MAX_MESSAGE) {
            throw new IOException("the ssh-agent at " + socket + " sent a message of " + n + " bytes");
        }
        return new ByteArrayBuffer(read(n).array());
    }

    private ByteBuffer read(int n) throws IOException {
        ByteBuffer in = ByteBuffer.allocate(n);
        while (in.hasRemaining()) {
            if (channel.read(in) < 0) {
                throw new EOFException("the ssh-agent at " + socket + " closed the connection");
            }
        }
        return in.flip();
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public synchronized void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    @Override
    public String toString() {
        return "ssh-agent " + socket;
    }
}
