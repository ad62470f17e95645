package dev.drover.host;

import dev.drover.transport.ExecResult;
import dev.drover.transport.Connection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;

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
    private final Runnable abort;
    private volatile boolean closed;

    /** {@code agent} completes with the agent's operations, or with null when the host must stay agentless. */
    public AgentWhenReady(HostOps shell, CompletableFuture<HostOps> agent) {
        this(shell, agent, () -> { });
    }

    /** @param abort gives the agent's start up; run when this is closed before the agent is ready */
    public AgentWhenReady(HostOps shell, CompletableFuture<HostOps> agent, Runnable abort) {
        this.shell = shell;
        this.agent = agent;
        this.abort = abort;
        // an agent that becomes ready after close (the abort came too late) is stopped at once
        this.settled = agent.handle((a, failure) -> {
            if (closed) release(a);
            return null;
        });
    }

    /**
     * Starts the host's agent on {@code starts} with {@code installer}; the host runs on {@code shell} until it is
     * ready, and closing gives a start still under way up instead of waiting for it.
     */
    public static AgentWhenReady start(HostOps shell, AgentInstaller installer, Connection conn,
                                       UnaryOperator<String> become, Executor starts) {
        AgentStartAbort abort = new AgentStartAbort();
        CompletableFuture<HostOps> started = CompletableFuture.supplyAsync(() -> {
            try {
                AgentInstaller.Outcome outcome = installer.connect(conn, become, true, abort);
                return outcome instanceof AgentInstaller.Installed in ? in.ops() : null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, starts);
        return new AgentWhenReady(shell, started, abort::abort);
    }

    private final CompletableFuture<Void> settled;

    /**
     * Completes once the agent's start is over: ready, failed, or (when this was closed first) given up or stopped
     * again. {@code drover_agent: wait} waits for it before the host's first task; closing does not.
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
        if (!agent.isDone()) {
            // No waiting for a JVM still booting on a 2-CPU machine shared by ten hosts: end it. Should it answer
            // all the same, settled stops it.
            abort.run();
            return;
        }
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
