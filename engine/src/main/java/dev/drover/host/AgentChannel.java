package dev.drover.host;

import dev.drover.transport.CommandTimeoutException;
import dev.drover.agent.protocol.ErrorKind;
import dev.drover.agent.protocol.Frame;
import dev.drover.agent.protocol.FrameIO;
import dev.drover.agent.protocol.MessageType;
import dev.drover.agent.protocol.Payload;
import dev.drover.agent.protocol.ProtocolException;
import dev.drover.transport.RemoteProcess;
import dev.drover.transport.TransportException;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The engine's end of one agent: many threads call at once, each waiting only on its own response.
 * One reader thread routes responses by id; heartbeats run on a shared scheduler. When the agent or the
 * channel dies every waiting and later call fails with a {@link TransportException} that says why.
 */
public final class AgentChannel implements Closeable {
    private final RemoteProcess process;
    private final String label;
    private final AgentOptions options;
    private final InputStream in;
    private final OutputStream out;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Map<Integer, CompletableFuture<Frame>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final Thread reader;
    private final ScheduledFuture<?> heartbeat;
    private final AgentInfo info;
    private volatile TransportException dead;
    private volatile long lastFromAgentNanos = System.nanoTime();
    private volatile long unansweredPingSinceNanos;
    /** Whether the caller has read the agent's greeting ({@link FrameIO#MAGIC}) already. */
    private final boolean greeted;

    /**
     * Takes over a started agent process, waits for its greeting and does the handshake.
     *
     * @param label names the agent in messages, e.g. "db1 as postgres"
     */
    public AgentChannel(RemoteProcess process, String label, AgentOptions options, ScheduledExecutorService scheduler)
            throws IOException {
        this(process, label, options, scheduler, false);
    }

    /** @param greeted true when the caller has read the agent's stdout up to and including its greeting */
    AgentChannel(RemoteProcess process, String label, AgentOptions options, ScheduledExecutorService scheduler,
                 boolean greeted) throws IOException {
        this.greeted = greeted;
        this.process = process;
        this.label = label;
        this.options = options;
        // Liveness counts bytes, not whole frames: a large response on a slow link is the agent talking.
        this.in = new FilterInputStream(new BufferedInputStream(process.stdout(), 1 << 16)) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                lastFromAgentNanos = System.nanoTime();
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = super.read(buf, off, len);
                lastFromAgentNanos = System.nanoTime();
                return n;
            }
        };
        this.out = process.stdin();
        this.reader = new Thread(this::readLoop, "drover-agent-reader " + label);
        reader.setDaemon(true);
        reader.start();
        try {
            Map<String, Object> hello = new HashMap<>();
            hello.put("version", (long) MessageType.PROTOCOL_VERSION);
            Map<String, Object> r = call(MessageType.HELLO, hello, options.handshakeTimeout());
            this.info = new AgentInfo((int) Payload.lng(r, "version", -1), Payload.str(r, "agent"),
                    Payload.lng(r, "pid", -1), Payload.str(r, "java"), Payload.str(r, "user"), Payload.str(r, "home"));
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        Duration hb = options.heartbeatInterval();
        this.heartbeat = hb == null ? null
                : scheduler.scheduleWithFixedDelay(this::heartbeat, hb.toMillis(), hb.toMillis(), TimeUnit.MILLISECONDS);
    }

    public AgentInfo info() {
        return info;
    }

    public AgentOptions options() {
        return options;
    }

    public String label() {
        return label;
    }

    public boolean isAlive() {
        return dead == null;
    }

    /**
     * Sends one request and waits for its answer. {@code wait} null waits as long as the agent stays alive.
     * An interrupt cancels the request on the host (killing its processes) and throws InterruptedIOException.
     */
    public Map<String, Object> call(int type, Map<String, Object> payload, Duration wait) throws IOException {
        TransportException d = dead;
        if (d != null) throw reuse(d);
        int id = ids.incrementAndGet();
        CompletableFuture<Frame> f = new CompletableFuture<>();
        pending.put(id, f);
        d = dead;
        if (d != null) {
            pending.remove(id);
            throw reuse(d);
        }
        Frame response;
        try {
            send(new Frame(id, type, payload), true);
            response = wait == null ? f.get() : f.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            pending.remove(id);
            cancelQuietly(id);
            Thread.currentThread().interrupt();
            InterruptedIOException iie = new InterruptedIOException(MessageType.name(type) + " on " + label + " was interrupted; cancelled on the host");
            iie.initCause(e);
            throw iie;
        } catch (TimeoutException e) {
            pending.remove(id);
            cancelQuietly(id);
            throw new TransportException("agent on " + label + " did not answer " + MessageType.name(type) + " within "
                    + wait.toSeconds() + "s; request cancelled");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof TransportException te) throw reuse(te);
            throw new TransportException("agent on " + label + ": " + c.getMessage(), c);
        } finally {
            pending.remove(id);
        }
        if (response.type() == MessageType.RESULT) return response.payload();
        throw toException(response.payload());
    }

    /** Asks the agent to stop a request; its own call then fails with InterruptedIOException. */
    public void cancel(int requestId) throws IOException {
        Map<String, Object> p = new HashMap<>();
        p.put("target", (long) requestId);
        send(new Frame(ids.incrementAndGet(), MessageType.CANCEL, p), true);
    }

    private void cancelQuietly(int id) {
        try {
            cancel(id);
        } catch (IOException ignored) {
            // the channel is gone, and the agent with it kills the request
        }
    }

    private IOException toException(Map<String, Object> error) {
        String kind = String.valueOf(error.get("kind"));
        String message = String.valueOf(error.get("message"));
        switch (kind) {
            case ErrorKind.NOT_FOUND:
                return new NoSuchFileException(null, null, message);
            case ErrorKind.DENIED:
                return new AccessDeniedException(null, null, message);
            case ErrorKind.TIMEOUT:
                return new CommandTimeoutException(message);
            case ErrorKind.CANCELLED:
                return new InterruptedIOException(message);
            default:
                return new IOException(message);
        }
    }

    private void send(Frame f, boolean block) throws IOException {
        byte[] bytes;
        try {
            bytes = FrameIO.encode(f);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage() + " (on " + label + ")", e);
        }
        if (block) {
            writeLock.lock();
        } else if (!writeLock.tryLock()) {
            return;
        }
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            TransportException te = new TransportException("lost the channel to the agent on " + label + ": " + e.getMessage(), e);
            die(te);
            throw te;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Liveness check: a ping that stays unanswered past deadAfter means the agent or the link is gone.
     * Skipped while a large request is being written, which holds the lock: the agent cannot answer
     * pings until it has read it, and that is not a sign of death.
     */
    private void heartbeat() {
        if (dead != null) return;
        long now = System.nanoTime();
        long since = unansweredPingSinceNanos;
        if (since != 0 && since - lastFromAgentNanos > 0 && now - since > options.deadAfter().toNanos()) {
            die(new TransportException("agent on " + label + " stopped answering: no reply to a ping for "
                    + options.deadAfter().toSeconds() + "s"));
            // Closing may wait for the process; not on the scheduler that serves every host's heartbeats.
            Thread closer = new Thread(process::close, "drover-agent-close " + label);
            closer.setDaemon(true);
            closer.start();
            return;
        }
        try {
            send(new Frame(ids.incrementAndGet(), MessageType.PING, null), false);
            if (unansweredPingSinceNanos == 0 || lastFromAgentNanos - unansweredPingSinceNanos > 0) {
                unansweredPingSinceNanos = now;
            }
        } catch (IOException e) {
            // send() already marked the channel dead
        }
    }

    private void readLoop() {
        try {
            if (!greeted) FrameIO.skipToMagic(in, 64 * 1024);
            while (true) {
                Frame f = FrameIO.read(in);
                if (f == null) {
                    die(new TransportException("agent on " + label + " exited" + exitDetail(process)));
                    return;
                }
                CompletableFuture<Frame> waiter = pending.get(f.id());
                // No waiter: a ping's answer, or a request whose caller gave up; nothing to do.
                if (waiter != null) waiter.complete(f);
            }
        } catch (EOFException e) {
            String before = e.getMessage() == null ? "" : e.getMessage().trim();
            die(new TransportException("agent on " + label + " did not start" + exitDetail(process)
                    + (before.isEmpty() ? "" : "; it printed: " + before)));
        } catch (ProtocolException e) {
            die(new TransportException("agent on " + label + " sent something that is not the protocol: " + e.getMessage()));
            process.close();
        } catch (IOException e) {
            die(new TransportException("lost the channel to the agent on " + label + ": " + e.getMessage(), e));
        }
    }

    /**
     * The exit status and the last of stderr of an agent process, for the message that tells a person why the
     * agent went away (or never started).
     */
    static String exitDetail(RemoteProcess process) {
        StringBuilder sb = new StringBuilder();
        try {
            Integer rc = process.waitFor(Duration.ofSeconds(2));
            if (rc != null) sb.append(" (exit code ").append(rc).append(')');
            InputStream err = process.stderr();
            // A closed SSH channel's stream answers available() == -1 (the host was killed): nothing to read then.
            byte[] tail = rc != null ? err.readNBytes(8192) : err.readNBytes(Math.max(0, Math.min(err.available(), 8192)));
            String s = new String(tail, StandardCharsets.UTF_8).trim();
            if (!s.isEmpty()) sb.append(": ").append(s);
        } catch (IOException e) {
            // no more detail to be had
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return sb.toString();
    }

    private void die(TransportException why) {
        synchronized (this) {
            if (dead != null) return;
            dead = why;
        }
        if (heartbeat != null) heartbeat.cancel(false);
        for (CompletableFuture<Frame> f : pending.values()) f.completeExceptionally(why);
        pending.clear();
    }

    /** A new exception per caller so each stack trace shows its own call, with the original cause kept. */
    private static TransportException reuse(TransportException original) {
        return new TransportException(original.getMessage(), original);
    }

    /**
     * Ends the agent: closing its input makes it kill its children and exit; the process is then
     * reaped (or killed after a short wait).
     */
    @Override
    public void close() {
        die(new TransportException("agent channel to " + label + " was closed"));
        if (heartbeat != null) heartbeat.cancel(false);
        try {
            out.close();
        } catch (IOException ignored) {
            // already closed
        }
        try {
            process.waitFor(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.close();
    }
}
