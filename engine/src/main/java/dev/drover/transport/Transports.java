package dev.drover.transport;

import java.io.Closeable;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens connections for one run: one {@link org.apache.sshd.client.SshClient} shared by all hosts (its IO
 * threads and known_hosts locks), one session per host. {@link #close()} ends every connection and the client.
 */
public final class Transports implements Closeable {
    /** Created on the first SSH connection: a run with only local hosts never loads SSHD or BouncyCastle. */
    private SshConnector connector;
    private final List<Connection> open = new ArrayList<>();
    private boolean closed;
    /** Drains the output of local hosts' commands; created with the first local host, threads reused. */
    private java.util.concurrent.ExecutorService localIo;

    /**
     * A connection for the spec: {@link LocalConnection} for {@code ansible_connection: local}, else an SSH
     * session, connected and authenticated before this returns.
     *
     * @throws TransportException the host is unreachable (refused, timeout, authentication, host key), with a
     *     message naming host, address, port and user
     */
    public Connection open(ConnectionSpec spec) throws TransportException {
        synchronized (open) {
            if (closed) throw new IllegalStateException("Transports already closed");
        }
        Connection c;
        if (spec.type() == ConnectionSpec.Type.LOCAL) {
            c = new LocalConnection(spec.host(), localIo());
        } else {
            SshConnection ssh = new SshConnection(spec, connector());
            ssh.connect();
            c = ssh;
        }
        synchronized (open) {
            if (closed) {
                SshConnector.closeQuietly(c);
                throw new IllegalStateException("Transports already closed");
            }
            open.add(c);
        }
        return c;
    }

    private java.util.concurrent.ExecutorService localIo() {
        synchronized (open) {
            if (localIo == null) {
                java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
                localIo = java.util.concurrent.Executors.newCachedThreadPool(r -> {
                    Thread t = new Thread(r, "drover-local-io-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
            }
            return localIo;
        }
    }

    private SshConnector connector() {
        synchronized (open) {
            if (connector == null) connector = new SshConnector();
            return connector;
        }
    }

    @Override
    public void close() {
        List<Connection> all;
        synchronized (open) {
            closed = true;
            all = new ArrayList<>(open);
            open.clear();
        }
        for (Connection c : all) SshConnector.closeQuietly(c);
        SshConnector sc;
        java.util.concurrent.ExecutorService io;
        synchronized (open) {
            sc = connector;
            io = localIo;
        }
        if (sc != null) sc.close();
        if (io != null) io.shutdownNow();
    }
}
