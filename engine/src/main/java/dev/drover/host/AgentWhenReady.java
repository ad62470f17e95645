package dev.drover.host;

import dev.drover.transport.ExecResult;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A host's operations while its agent starts: agentless until the agent has answered its handshake, the agent
 * from then on. The agent's JVM start (about 0.3 s on an idle host, several seconds when ten hosts share two
 * CPUs, as in the lab) no longer delays the host's first tasks; an operation already running keeps the
 * implementation it started with. When the agent cannot start (no Java, an old one, a failure), the host simply
 * stays agentless. Both implementations keep the same contract (every write atomic), so a task cannot tell which
 * one served it.
 */
public final class AgentWhenReady implements HostOps {
    private final HostOps shell;
    private final CompletableFuture<HostOps> agent;
    private volatile boolean closed;

    /** {@code agent} completes with the agent's operations, or with null when the host must stay agentless. */
    public AgentWhenReady(HostOps shell, CompletableFuture<HostOps> agent) {
        this.shell = shell;
        this.agent = agent;
        // closed before the agent's start is over: stop the agent when the start is over, not before
        this.settled = agent.handle((a, failure) -> {
            if (closed) release(a);
            return null;
        });
    }

    private final CompletableFuture<Void> settled;

    /**
     * Completes once the agent's start is over: ready, failed, or (when this was closed first) stopped again. A
     * run waits for it before closing the connection, so that no agent is left booting on a host, and no upload of
     * its jar is cut short, when the run ended before the agent was ready.
     */
    public CompletableFuture<Void> settled() {
        return settled;
    }

    /** The agent once it is ready, the agentless operations until then. */
    HostOps current() {
        if (agent.isDone() && !agent.isCompletedExceptionally()) {
            HostOps a = agent.join();
            if (a != null) return a;
        }
        return shell;
    }

    @Override
    public ExecResult exec(ExecSpec spec) throws IOException {
        return current().exec(spec);
    }

    @Override
    public FileStat stat(String path, boolean checksum, boolean follow) throws IOException {
        return current().stat(path, checksum, follow);
    }

    @Override
    public FileStat writeFile(String path, byte[] content, FileAttrs attrs) throws IOException {
        return current().writeFile(path, content, attrs);
    }

    @Override
    public byte[] readFile(String path) throws IOException {
        return current().readFile(path);
    }

    @Override
    public FileStat mkdirs(String path, FileAttrs attrs) throws IOException {
        return current().mkdirs(path, attrs);
    }

    @Override
    public boolean setAttrs(String path, FileAttrs attrs) throws IOException {
        return current().setAttrs(path, attrs);
    }

    @Override
    public void symlink(String target, String link) throws IOException {
        current().symlink(target, link);
    }

    @Override
    public boolean remove(String path, boolean recursive) throws IOException {
        return current().remove(path, recursive);
    }

    @Override
    public Map<String, Object> facts() throws IOException {
        return current().facts();
    }

    @Override
    public String mode() {
        return current().mode();
    }

    @Override
    public void close() {
        closed = true;
        if (!agent.isDone()) return; // released by settled once the start is over
        release(agent.isCompletedExceptionally() ? null : agent.join());
    }

    /**
     * Stops the agent (when there is one), once. The agentless side is not closed: closing it closes the
     * connection, which the run shares between the host's become users and closes itself at the end; closing it
     * here cut the session under another user's agent before that agent was stopped.
     */
    private void release(HostOps a) {
        if (!released.compareAndSet(false, true)) return;
        if (a != null) closeQuietly(a);
    }

    private final java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();

    private static void closeQuietly(HostOps ops) {
        try {
            ops.close();
        } catch (IOException | RuntimeException ignored) {
            // best effort: the agent also exits when its channel closes, and the run closes every connection
        }
    }
}
