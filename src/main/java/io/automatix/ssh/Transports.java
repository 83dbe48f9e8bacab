package io.automatix.ssh;

import java.time.Clock;
import java.time.Duration;

import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;

/** The transports of every configured host: one service, started and stopped with the router. */
public final class Transports extends ServiceSupport {

    private final ConnectBudget budget = new ConnectBudget(Clock.systemUTC());
    private final SshSessions mina;

    public Transports(Duration connectTimeout) {
        this.mina = new SshSessions(connectTimeout, budget);
    }

    /** New connections per host per minute, shared by every transport. */
    public ConnectBudget budget() {
        return budget;
    }

    /** The router's own MINA SSHD connections. */
    SshSessions mina() {
        return mina;
    }

    /** How the router reaches the target, by its {@code transport} setting. */
    public Transport of(SshTarget target) {
        return switch (target.transport()) {
            case MINA -> new MinaTransport(mina, target);
            case OPENSSH -> throw new UnsupportedOperationException("openssh transport: not yet");
        };
    }

    @Override
    protected void doStart() {
        ServiceHelper.startService(mina);
    }

    @Override
    protected void doStop() {
        ServiceHelper.stopService(mina);
    }
}
