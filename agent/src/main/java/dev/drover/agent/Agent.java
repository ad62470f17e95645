package dev.drover.agent;

import dev.drover.agent.protocol.ErrorKind;
import dev.drover.agent.protocol.Frame;
import dev.drover.agent.protocol.FrameIO;
import dev.drover.agent.protocol.MessageType;
import dev.drover.agent.protocol.Payload;
import dev.drover.agent.protocol.ProtocolException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * The agent's request loop: one thread reads frames, requests run on the pool, responses are written whole
 * under a lock so frames never interleave. The agent stops when its input ends (the channel closed, also
 * when the controller was killed) or when no frame arrived within the heartbeat timeout; either way it
 * kills every process it started before exiting, so nothing is left on the host.
 */
final class Agent {
    private final InputStream in;
    private final OutputStream out;
    private final PrintStream log;
    private final ExecutorService pool;
    private final long heartbeatTimeoutMillis;
    private final Handlers handlers;
    private final Map<Integer, Running> running = new ConcurrentHashMap<>();
    private volatile long lastInputNanos = System.nanoTime();

    Agent(InputStream in, OutputStream out, PrintStream log, ExecutorService pool, long heartbeatTimeoutMillis,
          Handlers handlers) {
        // Liveness counts bytes, not whole frames: a large upload on a slow link is the controller talking.
        this.in = new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                lastInputNanos = System.nanoTime();
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = super.read(buf, off, len);
                lastInputNanos = System.nanoTime();
                return n;
            }
        };
        this.out = out;
        this.log = log;
        this.pool = pool;
        this.heartbeatTimeoutMillis = heartbeatTimeoutMillis;
        this.handlers = handlers;
    }

    /** Runs until input ends or the heartbeat lapses; returns the exit code. */
    int run() {
        startWatchdog();
        try {
            synchronized (out) {
                out.write(FrameIO.MAGIC);
                out.flush();
            }
            while (true) {
                Frame f = FrameIO.read(in);
                if (f == null) return 0;
                dispatch(f);
            }
        } catch (ProtocolException e) {
            log.println("drover-agent: protocol error, stopping: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            // The channel broke (controller gone); same as end of input.
            return 0;
        }
    }

    private void dispatch(Frame f) {
        int type = f.type();
        if (type == MessageType.PING) {
            // Answered on the reader thread so a busy pool cannot make a live agent look dead.
            Map<String, Object> r = new HashMap<>();
            r.put("now", System.currentTimeMillis());
            send(new Frame(f.id(), MessageType.RESULT, r));
            return;
        }
        if (type == MessageType.CANCEL) {
            int target = (int) Payload.lng(f.payload(), "target", -1);
            Running r = running.get(target);
            if (r != null) r.cancel();
            Map<String, Object> res = new HashMap<>();
            res.put("found", r != null);
            send(new Frame(f.id(), MessageType.RESULT, res));
            return;
        }
        Running r = new Running();
        running.put(f.id(), r);
        try {
            pool.execute(() -> serve(f, r));
        } catch (RejectedExecutionException e) {
            running.remove(f.id());
            send(error(f.id(), ErrorKind.INTERNAL, "agent is shutting down"));
        }
    }

    private void serve(Frame f, Running r) {
        Frame response;
        try {
            r.begin(Thread.currentThread());
            Map<String, Object> result = handlers.handle(f.type(), f.payload(), r);
            response = new Frame(f.id(), MessageType.RESULT, result);
        } catch (RequestFailure e) {
            response = error(f.id(), e.kind(), e.getMessage());
        } catch (InterruptedException e) {
            response = error(f.id(), ErrorKind.CANCELLED, MessageType.name(f.type()) + " was cancelled");
        } catch (ProtocolException | IllegalArgumentException e) {
            response = error(f.id(), ErrorKind.BAD_REQUEST, "bad " + MessageType.name(f.type()) + " request: " + e.getMessage());
        } catch (RuntimeException | Error e) {
            response = error(f.id(), ErrorKind.INTERNAL, "agent error in " + MessageType.name(f.type()) + ": " + e);
        } finally {
            r.end();
            running.remove(f.id());
        }
        if (r.isCancelled() && !ErrorKind.CANCELLED.equals(response.payload().get("kind"))
                && response.type() == MessageType.ERROR) {
            // A cancelled exec fails on its killed pipes; report the cause the engine asked for.
            response = error(f.id(), ErrorKind.CANCELLED, MessageType.name(f.type()) + " was cancelled");
        }
        send(response);
    }

    private static Frame error(int id, String kind, String message) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("kind", kind);
        p.put("message", message);
        return new Frame(id, MessageType.ERROR, p);
    }

    private void send(Frame f) {
        byte[] bytes;
        try {
            bytes = FrameIO.encode(f);
        } catch (IllegalArgumentException e) {
            bytes = FrameIO.encode(error(f.id(), ErrorKind.IO, e.getMessage()));
        }
        try {
            synchronized (out) {
                out.write(bytes);
                out.flush();
            }
        } catch (IOException e) {
            // Output is gone, so the controller is gone; the reader sees the end of input next.
        }
    }

    private void startWatchdog() {
        if (heartbeatTimeoutMillis <= 0) return;
        Thread t = new Thread(() -> {
            long step = Math.max(100, Math.min(1000, heartbeatTimeoutMillis / 4));
            while (true) {
                try {
                    Thread.sleep(step);
                } catch (InterruptedException e) {
                    return;
                }
                long idle = (System.nanoTime() - lastInputNanos) / 1_000_000;
                if (idle > heartbeatTimeoutMillis) {
                    log.println("drover-agent: no message from the controller for " + idle
                            + " ms (heartbeat timeout " + heartbeatTimeoutMillis + " ms); stopping");
                    stop(3);
                }
            }
        }, "drover-agent-watchdog");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Kills everything the agent started, then exits the JVM. Holds the output lock throughout, so a command
     * killed here cannot report an exit status as if it had finished by itself.
     */
    void stop(int code) {
        synchronized (out) {
            ProcessTree.killAllChildrenOf(ProcessHandle.current());
            log.flush();
            Runtime.getRuntime().halt(code);
        }
    }
}
