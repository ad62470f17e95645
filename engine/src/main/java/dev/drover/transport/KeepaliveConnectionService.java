package dev.drover.transport;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.client.session.AbstractClientSession;
import org.apache.sshd.client.session.ClientConnectionService;
import org.apache.sshd.client.session.ClientConnectionServiceFactory;
import org.apache.sshd.common.Service;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.ValidateUtils;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * MINA's connection service with the keepalive read when the service starts (after authentication) rather than
 * when the session object is built. MINA builds this service inside the session's constructor, before
 * {@link SshConnector} can set the host's {@code drover_keepalive_interval} on the session, so the stock service
 * never sent a keepalive and a host whose network vanished mid-command held the run forever. Each keepalive asks
 * for a reply; after {@code HEARTBEAT_NO_REPLY_MAX} unanswered ones the session is closed, which fails what is
 * waiting on it (the host becomes unreachable).
 */
final class KeepaliveConnectionService extends ClientConnectionService {

    KeepaliveConnectionService(AbstractClientSession session) throws SshException {
        super(session);
    }

    @Override
    protected synchronized ScheduledFuture<?> startHeartBeat() {
        stopHeartBeat();
        Duration interval = CoreModuleProperties.HEARTBEAT_INTERVAL.getRequired(getSession());
        if (interval.isZero() || interval.isNegative() || heartbeatMaxNoReply <= 0) return null;
        outstandingHeartbeats.set(0);
        long ms = interval.toMillis();
        clientHeartbeat = getClientSession().getFactoryManager().getScheduledExecutorService().scheduleAtFixedRate(() -> {
            try {
                sendHeartBeat();
            } catch (RuntimeException e) {
                // counted below like an unanswered keepalive
            }
            if (outstandingHeartbeats.get() > heartbeatMaxNoReply) getSession().close(true);
        }, ms, ms, TimeUnit.MILLISECONDS);
        return clientHeartbeat;
    }

    /** Installs this service in place of MINA's. */
    static final class Factory extends ClientConnectionServiceFactory {
        @Override
        public Service create(Session session) throws IOException {
            AbstractClientSession s = ValidateUtils.checkInstanceOf(session, AbstractClientSession.class,
                    "Not a client session: %s", session);
            KeepaliveConnectionService service = new KeepaliveConnectionService(s);
            service.addPortForwardingEventListenerManager(this);
            return service;
        }
    }
}
